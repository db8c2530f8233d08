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
    /// <summary>Imports one file, renaming the default index patterns to the configured prefixes.</summary>
    public async Task<int> ImportAsync(SetupAsset file, IReadOnlyDictionary<string, string> indexPatternTitles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var lines = Encoding.UTF8.GetString(file.Content).Split('\n');
        var content = new StringBuilder();
        foreach (var line in lines.Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
        {
            var node = JsonNode.Parse(line)!.AsObject();
            if (node["type"]?.GetValue<string>() == "index-pattern"
                && node["attributes"]?["title"]?.GetValue<string>() is { } title
                && indexPatternTitles.TryGetValue(title, out var renamed))
            {
                node["attributes"]!["title"] = renamed;
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
}
