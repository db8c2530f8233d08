using BenchmarkDotNet.Running;

// `init-time` is a process-level measurement (a function's cold start), not a BenchmarkDotNet suite.
if (args.Length > 0 && args[0] == "init-time")
{
    return await Benchmarks.Indexer.InitTimeMeasurement.RunAsync(args);
}

// Every suite in this assembly; pick one with --filter, e.g. `--filter '*Indexer*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
