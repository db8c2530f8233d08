using System.Text;
using BenchmarkDotNet.Attributes;
using Shared.OpenSearch;

namespace Benchmarks.Indexer;

/// <summary>
/// Building NDJSON bulk bodies: 1,000 documents of ~600 bytes with external versions into one reused
/// buffer. Target: ≥ 200 MB/s of body (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class BulkBodyBenchmarks
{
    private List<BulkItem> _items = null!;
    private BulkRequestBody _body = null!;

    /// <summary>Bytes of body one operation builds, measured in setup.</summary>
    public static long BodyBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _items = Enumerable.Range(0, 1000)
            .Select(i => new BulkItem("eks-kubernetes-events-2024.06.01", Guid.NewGuid().ToString(), Encoding.UTF8.GetBytes(SampleEvents.Event(i))) { ExternalVersion = 1_000_000 + i })
            .ToList();
        _body = new BulkRequestBody(100 * 1024 * 1024);
        BuildBody();
        BodyBytes = _body.Length;
        Console.WriteLine($"// body bytes per operation: {BodyBytes}");
    }

    /// <summary>Builds one body of 1,000 documents.</summary>
    [Benchmark]
    public int BuildBody()
    {
        _body.Clear();
        foreach (var item in _items)
        {
            _body.Append(item, out _);
        }

        return _body.Length;
    }
}
