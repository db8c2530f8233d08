using System.Buffers;
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

        // Count the actions without copying the body: a real domain reads it from the socket anyway. The
        // buffer is pooled: a real domain's memory is not the function's, so it should not count as its garbage.
        var lines = 0;
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await using var stream = await request.Content!.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                lines += chunk.AsSpan(0, read).Count((byte)'\n');
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var items = lines / 2;
        var response = _responses.GetOrAdd(items, static count =>
        {
            var sb = new StringBuilder("{\"errors\":false,\"items\":[");
            for (var i = 0; i < count; i++)
            {
                sb.Append(i == 0 ? string.Empty : ",")
                  .Append("{\"index\":{\"status\":201}}"); // what filter_path=errors,items.*.status,items.*.error leaves
            }

            return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
        });
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(response) };
    }
}
