using System.Text.Json.Nodes;

namespace OpenSearchSetup.OpenSearch;

/// <summary>
/// Installs the composable index templates the functions' documents need (text + .keyword strings, dates,
/// unindexed audit bodies). <c>PUT _index_template/&lt;name&gt;</c> replaces a template of the same name,
/// so re-running is harmless; a template only affects indices created after it.
/// </summary>
public sealed class IndexTemplates(OpenSearchApi api)
{
    /// <summary>Installs one template file under the name of the index prefix, for indices <c>&lt;prefix&gt;-*</c>.</summary>
    public async Task InstallAsync(string templateFile, string indexPrefix, CancellationToken cancellationToken)
    {
        var body = JsonNode.Parse(await File.ReadAllTextAsync(templateFile, cancellationToken))!.AsObject();
        // The files name the default prefixes; a renamed index (EVENTS_INDEX, CONTROL_PLANE_INDEX) moves the pattern with it.
        body["index_patterns"] = new JsonArray($"{indexPrefix}-*");
        (await api.SendAsync(HttpMethod.Put, $"_index_template/{indexPrefix}", body.ToJsonString(), cancellationToken))
            .EnsureSuccess($"PUT _index_template/{indexPrefix}");
    }
}
