using BenchmarkDotNet.Attributes;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Handling;
using Functions.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;

namespace Benchmarks.ControlPlane;

/// <summary>
/// The warm ControlPlaneLogsFunction handler on a mixed delivery (4 streams × 1,000 lines: audit, API
/// server klog, scheduler structured klog, authenticator): base64 + gunzip with the size cap, payload
/// JSON, per-type parse, documents and the <c>_bulk</c> bodies. Results are per line (OperationsPerInvoke).
/// Target: ≥ 150,000 lines/s on one core, i.e. ≤ 6.7 µs per line (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class ControlPlanePipelineBenchmarks
{
    private const int LinesPerStream = 1000;
    private List<byte[]> _events = null!;
    private ControlPlaneLogsHandler _handler = null!;
    private BodyOnlyBulkWriter _writer = null!;
    private ILambdaContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (events, lines, inflated) = MixedPayloads.Build(LinesPerStream);
        _events = events;
        _writer = new BodyOnlyBulkWriter(5 * 1024 * 1024);
        _handler = new ControlPlaneLogsHandler(
            new ControlPlaneDocumentBuilder("eks-control-plane-logs", "bench"),
            _writer,
            new ControlPlaneOptions(),
            TimeProvider.System,
            new LineWriter(Stream.Null),
            NullLogger<ControlPlaneLogsHandler>.Instance);
        _context = new LambdaContext(TimeProvider.System)
        {
            AwsRequestId = "bench",
            InvokedFunctionArn = string.Empty,
            FunctionName = "control-plane-logs",
            TraceId = string.Empty,
            Deadline = DateTimeOffset.MaxValue.AddDays(-1),
        };
        Run();
        Console.WriteLine($"// lines per operation: {lines}; inflated payload bytes: {inflated}; bulk body bytes: {_writer.BodyBytes}");
    }

    /// <summary>Handles the four deliveries; reported per line.</summary>
    [Benchmark(OperationsPerInvoke = LinesPerStream * 4)]
    public int Run()
    {
        var total = 0;
        foreach (var cwlEvent in _events)
        {
            total += _handler.HandleAsync(cwlEvent, _context, CancellationToken.None).GetAwaiter().GetResult().Length;
        }

        return total;
    }
}
