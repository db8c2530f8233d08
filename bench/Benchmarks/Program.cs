using BenchmarkDotNet.Running;

// Every suite in this assembly; pick one with --filter, e.g. `--filter '*Indexer*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
