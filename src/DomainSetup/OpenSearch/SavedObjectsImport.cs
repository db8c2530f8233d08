using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DomainSetup.Assets;

namespace DomainSetup.OpenSearch;

/// <summary>
/// Imports a dashboards/*.ndjson file through the Dashboards saved objects API:
/// <c>POST &lt;dashboards&gt;/api/saved_objects/_import?overwrite=true</c>, a multipart form with the file,
/// and the <c>osd-xsrf</c> header Dashboards demands on every write. Ids are fixed, so overwrite makes
/// re-running replace our objects instead of duplicating them.
/// </summary>
public sealed class SavedObjectsImport(OpenSearchApi api, Uri dashboardsUrl)
{
    /// <summary>
    /// Imports one file, renaming the default index patterns to the configured prefixes (each part of a title
    /// that names several, <c>a*,b*</c>).
    /// </summary>
    public async Task<int> ImportAsync(SetupAsset file, IReadOnlyDictionary<string, string> indexPatternTitles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(indexPatternTitles);
        var lines = Encoding.UTF8.GetString(file.Content).Split('\n').Select(l => l.TrimEnd('\r'));
        var objects = lines.Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var movedIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in objects.Where(o => o["type"]?.GetValue<string>() == "index-pattern"))
        {
            if (node["attributes"]?["title"]?.GetValue<string>() is not { } title)
            {
                continue;
            }

            var renamed = string.Join(',', title.Split(',').Select(part => indexPatternTitles.GetValueOrDefault(part, part)));
            if (renamed != title)
            {
                // With the default prefixes our patterns keep the EKS workshop's ids, so that its saved objects
                // and ours share one pattern per title. A pattern moved to other indices gets an id of its own:
                // it must not replace a pattern that reads the default indices (the workshop's, another stack's).
                node["attributes"]!["title"] = renamed;
                var id = IndexPatternId(renamed);
                movedIds[node["id"]!.GetValue<string>()] = id;
                node["id"] = id;
            }
        }

        var content = new StringBuilder();
        foreach (var node in objects)
        {
            foreach (var reference in node["references"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if (reference["type"]?.GetValue<string>() == "index-pattern" && movedIds.TryGetValue(reference["id"]!.GetValue<string>(), out var moved))
                {
                    reference["id"] = moved;
                }
            }

            content.Append(node.ToJsonString()).Append('\n');
        }

        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(content.ToString()));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/ndjson");
        form.Add(part, "file", file.FileName);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(dashboardsUrl, "api/saved_objects/_import?overwrite=true")) { Content = form };
        request.Headers.Add("osd-xsrf", "true");
        var response = (await api.SendAsync(request, cancellationToken)).EnsureSuccess($"Import of {file.FileName}");
        var result = JsonNode.Parse(response.Body)!;
        if (result["success"]?.GetValue<bool>() != true)
        {
            throw new InvalidOperationException($"Import of {file.FileName} reported errors: {result["errors"]?.ToJsonString()}");
        }

        return result["successCount"]?.GetValue<int>() ?? 0;
    }

    /// <summary>The id of an index pattern moved to other indices: named after its title (<c>eks-history-team-a-events</c>).</summary>
    public static string IndexPatternId(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var id = new StringBuilder("eks-history-");
        foreach (var c in title.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                id.Append(c);
            }
            else if (c != '*')
            {
                id.Append('-'); // "," between patterns, "." and "_" of a prefix
            }
        }

        return id.ToString().TrimEnd('-');
    }
}
