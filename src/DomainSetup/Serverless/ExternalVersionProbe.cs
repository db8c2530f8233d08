using System.Net;
using System.Text.Json;
using DomainSetup.OpenSearch;

namespace DomainSetup.Serverless;

/// <summary>
/// Finds out, on the user's own collection, whether it keeps the functions' promise that a late copy of a
/// document never replaces a newer one. AWS's OpenSearch Serverless documentation lists which API operations
/// a collection supports but says nothing of <c>version</c>/<c>version_type</c>, so the setup asks the
/// collection: it writes one document with <c>version_type=external_gte</c> at version 2, then at version 1,
/// in <c>_bulk</c> requests shaped exactly like the functions' (a client-chosen <c>_id</c>, external version),
/// and reads the second answer: 409 means honoured, 2xx means ignored. A refusal of the first write means the
/// collection does not take client-chosen ids at all (time-series and vector collections). The probe index,
/// <c>&lt;events prefix&gt;-version-probe</c>, is deleted afterwards.
/// </summary>
public sealed class ExternalVersionProbe(OpenSearchApi api)
{
    private const string ProbeId = "eks-history-version-probe";

    /// <summary>The index the probe writes to: under the events prefix, so the data access policy covers it.</summary>
    public static string IndexName(string eventsIndex) => $"{eventsIndex}-version-probe";

    /// <summary>Runs the probe; <paramref name="reason"/> carries the collection's own words when a write is refused.</summary>
    public async Task<(VersioningSupport Support, string? Reason)> RunAsync(string eventsIndex, CancellationToken cancellationToken)
    {
        var index = IndexName(eventsIndex);
        try
        {
            var first = await WriteAsync(index, 2, cancellationToken);
            if (first.Status is < 200 or >= 300)
            {
                return (VersioningSupport.Refused, first.Reason);
            }

            var second = await WriteAsync(index, 1, cancellationToken);
            return second.Status switch
            {
                409 => (VersioningSupport.Honoured, null),
                >= 200 and < 300 => (VersioningSupport.Ignored, null),
                _ => (VersioningSupport.Refused, second.Reason),
            };
        }
        finally
        {
            var deleted = await api.SendAsync(HttpMethod.Delete, index, null, CancellationToken.None);
            if (deleted.Status != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccess($"DELETE {index}");
            }
        }
    }

    private async Task<(int Status, string? Reason)> WriteAsync(string index, long version, CancellationToken cancellationToken)
    {
        var action = JsonSerializer.Serialize(
            new ProbeAction { Index = new ProbeTarget { Index = index, Id = ProbeId, Version = version, VersionType = "external_gte" } },
            DomainSetupJsonContext.Default.ProbeAction);
        var body = $"{action}\n{{\"probe\":{version}}}\n";
        var answer = await api.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, new Uri(api.Endpoint, "_bulk"))
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-ndjson"),
            },
            cancellationToken);
        if (!answer.IsSuccess)
        {
            // The request as a whole was refused: the collection's reason is the answer.
            return ((int)answer.Status, $"HTTP {(int)answer.Status}: {answer.Body}");
        }

        using var document = JsonDocument.Parse(answer.Body);
        var item = document.RootElement.GetProperty("items")[0].EnumerateObject().First().Value;
        var status = item.GetProperty("status").GetInt32();
        var reason = item.TryGetProperty("error", out var error) ? error.GetRawText() : null;
        return (status, reason);
    }
}
