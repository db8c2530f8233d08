using System.Diagnostics;
using System.Globalization;
using Benchmarks.ControlPlane;
using Benchmarks.Indexer;

namespace Benchmarks;

/// <summary>
/// <c>cpu-time SUITE [rounds] [seconds]</c>: the CPU time (the process's, not the wall clock's) one
/// operation of a suite costs, the least and the median of several rounds. On a shared machine at a load
/// of 10 or more, wall time mostly measures the run queue; CPU time measures the work. Run two builds
/// alternately in the same minutes to compare them. Suites: <c>bulk</c> (BulkBodyBenchmarks),
/// <c>indexer</c> (IndexerHandlerBenchmarks), <c>control-plane</c> (ControlPlanePipelineBenchmarks, per
/// line), <c>documents</c> (EventDocumentBuilder alone on the 1,000 events, read from their bytes), <c>validate</c> (a
/// Utf8JsonReader pass over the 1,000 documents: what validating every document would cost).
/// </summary>
public static class CpuTimeMeasurement
{
    /// <summary>Runs the measurement.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var suite = args.Length > 1 ? args[1] : "bulk";
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        var (operation, perOperation) = Suite(suite);

        Repeat(operation, seconds * 2); // tiered compilation settles
        var process = Process.GetCurrentProcess();
        var results = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            var count = Repeat(operation, seconds);
            process.Refresh();
            results.Add((process.TotalProcessorTime - before).TotalMilliseconds * 1000 / count / perOperation);
        }

        results.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{suite}: CPU µs per operation: least {results[0]:F2}, median {results[results.Count / 2]:F2}, most {results[^1]:F2} ({rounds} rounds of {seconds} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})"));
        return 0;
    }

    private static (Func<object> Operation, int PerOperation) Suite(string suite)
    {
        switch (suite)
        {
            case "bulk":
                var body = new BulkBodyBenchmarks();
                body.Setup();
                return (() => body.BuildBody(), 1);
            case "indexer":
                var handler = new IndexerHandlerBenchmarks();
                handler.Setup();
                return (() => handler.Invocation_1000Events().GetAwaiter().GetResult(), 1);
            case "control-plane":
                var pipeline = new ControlPlanePipelineBenchmarks();
                pipeline.Setup();
                return (() => pipeline.Run(), 4000);
            case "documents":
                var events = Enumerable.Range(0, 1000).Select(i => System.Text.Encoding.UTF8.GetBytes(SampleEvents.Event(i))).ToList();
                var builder = new IndexerFunction.Documents.EventDocumentBuilder("eks-kubernetes-events");
                var output = new System.Buffers.ArrayBufferWriter<byte>(2 << 20);
                return (() =>
                {
                    output.ResetWrittenCount();
                    foreach (var evt in events)
                    {
                        builder.TryBuild(evt, "bench", output, out _);
                    }

                    return output.WrittenCount;
                }, 1);
            case "validate":
                var sources = Enumerable.Range(0, 1000).Select(i => System.Text.Encoding.UTF8.GetBytes(SampleEvents.Event(i))).ToList();
                return (() =>
                {
                    long tokens = 0;
                    foreach (var source in sources)
                    {
                        var reader = new System.Text.Json.Utf8JsonReader(source);
                        while (reader.Read())
                        {
                            tokens++;
                        }
                    }

                    return tokens;
                }, 1);
            default:
                throw new ArgumentException($"Unknown suite '{suite}': bulk, indexer, control-plane, documents or validate.", nameof(suite));
        }
    }

    private static int Repeat(Func<object> operation, double seconds)
    {
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            operation();
            count++;
        }

        return count;
    }
}
