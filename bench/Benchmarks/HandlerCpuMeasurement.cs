using System.Diagnostics;
using System.Globalization;

namespace Benchmarks;

/// <summary>
/// The handler benchmarks timed in process CPU instead of wall-clock time, for a shared machine: while other
/// processes load the cores, BenchmarkDotNet's wall-clock means grow with the load, but the CPU an operation
/// uses barely moves. Each round runs the operation many times; the least and the median round are printed.
/// Run: <c>dotnet run -c Release --project bench/Benchmarks -- handler-cpu [rounds]</c>.
/// </summary>
public static class HandlerCpuMeasurement
{
    /// <summary>Runs both handler benchmarks and prints their CPU per operation.</summary>
    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 15;
        var indexer = new Indexer.IndexerHandlerBenchmarks();
        indexer.Setup();
        Measure("IndexerHandlerBenchmarks.Invocation_1000Events, per invocation of 1,000 events", rounds, 1, () => indexer.Invocation_1000Events().GetAwaiter().GetResult());
        var controlPlane = new ControlPlane.ControlPlanePipelineBenchmarks();
        controlPlane.Setup();
        Measure("ControlPlanePipelineBenchmarks.Run, per line", rounds, 4000, () => controlPlane.Run());
        return 0;
    }

    private static void Measure(string name, int rounds, int operationsPerCall, Action call)
    {
        for (var i = 0; i < 20; i++)
        {
            call();
        }

        // About a quarter of a second of CPU per round.
        var probe = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        call();
        var callsPerRound = Math.Max(5, (int)(0.25 / Math.Max(1e-6, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds)));
        var perOperation = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            GC.Collect();
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < callsPerRound; i++)
            {
                call();
            }

            var used = Process.GetCurrentProcess().TotalProcessorTime - before;
            perOperation.Add(used.TotalMilliseconds * 1000 / callsPerRound / operationsPerCall);
        }

        perOperation.Sort();
        Console.WriteLine($"{name}: least {perOperation[0]:F2} µs, median {perOperation[rounds / 2]:F2} µs of CPU ({rounds} rounds of {callsPerRound} calls; load average {File.ReadAllText("/proc/loadavg")[..14]})");
    }
}
