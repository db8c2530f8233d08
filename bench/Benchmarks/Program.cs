using BenchmarkDotNet.Running;

// `init-time` is a process-level measurement (a function's cold start), not a BenchmarkDotNet suite.
if (args.Length > 0 && args[0] == "init-time")
{
    return await Benchmarks.Indexer.InitTimeMeasurement.RunAsync(args);
}

// `cpu-time SUITE [rounds] [seconds]`: CPU time per operation, for comparing builds on a loaded machine.
if (args.Length > 0 && args[0] == "cpu-time")
{
    return Benchmarks.CpuTimeMeasurement.Run(args);
}

// `invocation-cost` runs published functions (and the Node.js blueprint) as Lambda does and reads their process CPU.
if (args.Length > 0 && args[0] == "invocation-cost")
{
    return await Benchmarks.Invocation.InvocationCostMeasurement.RunAsync(args);
}

// `write-mixed-payloads DIR [linesPerStream]` writes the control-plane benchmark's Lambda events as files,
// for timing other implementations on exactly the same input (bench/blueprint-compare.sh).
if (args.Length > 1 && args[0] == "write-mixed-payloads")
{
    var (events, lines, _) = Benchmarks.ControlPlane.MixedPayloads.Build(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
    Directory.CreateDirectory(args[1]);
    for (var i = 0; i < events.Count; i++)
    {
        await File.WriteAllBytesAsync(Path.Combine(args[1], $"event-{i}.json"), events[i]);
    }

    Console.WriteLine($"{events.Count} events, {lines} lines, in {args[1]}");
    return 0;
}

// Every suite in this assembly; pick one with --filter, e.g. `--filter '*Indexer*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
