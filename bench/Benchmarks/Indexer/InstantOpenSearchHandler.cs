using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Benchmarks.Indexer;

/// <summary>
/// A zero-latency OpenSearch inside the process: answers every <c>_bulk</c> with a success item per
/// action (responses precomputed per size), and every template PUT with acknowledged. The benchmark
/// then measures the function's own CPU: parsing, building, serializing, reading the answer.
/// </summary>
public sealed class InstantOpenSearchHandler : HttpMessageHandler
{
    private static readonly byte[] Acknowledged = "{\"acknowledged\":true}"u8.ToArray();
    private readonly ConcurrentDictionary<int, byte[]> _responses = new();

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Put)
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Acknowledged) };
        }

        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var items = body.AsSpan().Count((byte)'\n') / 2;
        var response = _responses.GetOrAdd(items, static count =>
        {
            var sb = new StringBuilder("{\"took\":1,\"errors\":false,\"items\":[");
            for (var i = 0; i < count; i++)
            {
                sb.Append(i == 0 ? string.Empty : ",")
                  .Append("{\"index\":{\"_index\":\"eks-kubernetes-events-2024.06.01\",\"_id\":\"00000000-0000-0000-0000-000000000000\",\"_version\":1000001,\"result\":\"created\",\"_shards\":{\"total\":2,\"successful\":2,\"failed\":0},\"_seq_no\":1,\"_primary_term\":1,\"status\":201}}");
            }

            return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        });
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(response) };
    }
}
