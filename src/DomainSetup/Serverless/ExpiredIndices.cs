using System.Net;
using System.Text.Json;
using DomainSetup.OpenSearch;
using Shared.Contract.Indices;

namespace DomainSetup.Serverless;

/// <summary>
/// Retention on OpenSearch Serverless, which has no ISM: a daily index is deleted once its day is more than
/// the retention ago. Data lifecycle policies, Serverless' own retention, apply only to time-series
/// collections, and those refuse the client-chosen <c>_id</c> the pipeline's idempotency rests on, so the
/// pipeline needs a search collection and deletes its expired indices itself (the stack runs this daily).
/// The indices are listed with <c>GET _resolve/index/&lt;prefix&gt;-*</c> (aoss:DescribeIndex) and deleted with
/// <c>DELETE &lt;index&gt;</c> (aoss:DeleteIndex); an index deleted meanwhile (404) counts as deleted.
/// </summary>
public sealed class ExpiredIndices(OpenSearchApi api, TimeProvider time)
{
    /// <summary>Deletes the daily indices of <paramref name="indexPrefix"/> whose day is more than <paramref name="retentionDays"/> days ago.</summary>
    /// <returns>The names of the indices deleted.</returns>
    public async Task<IReadOnlyList<string>> DeleteAsync(string indexPrefix, int retentionDays, CancellationToken cancellationToken)
    {
        var cutoff = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-retentionDays);
        var listed = await api.SendAsync(HttpMethod.Get, $"_resolve/index/{indexPrefix}-*", null, cancellationToken);
        if (listed.Status == HttpStatusCode.NotFound)
        {
            return [];
        }

        listed.EnsureSuccess($"GET _resolve/index/{indexPrefix}-*");
        var expired = new List<string>();
        using (var document = JsonDocument.Parse(listed.Body))
        {
            if (document.RootElement.TryGetProperty("indices", out var indices) && indices.ValueKind == JsonValueKind.Array)
            {
                foreach (var index in indices.EnumerateArray())
                {
                    var name = index.TryGetProperty("name", out var n) ? n.GetString() : null;
                    if (name is not null && DailyIndex.DayOf(name, indexPrefix) is { } day && day < cutoff)
                    {
                        expired.Add(name);
                    }
                }
            }
        }

        foreach (var name in expired.Order(StringComparer.Ordinal))
        {
            var deleted = await api.SendAsync(HttpMethod.Delete, name, null, cancellationToken);
            if (deleted.Status != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccess($"DELETE {name}");
            }
        }

        return expired;
    }
}
