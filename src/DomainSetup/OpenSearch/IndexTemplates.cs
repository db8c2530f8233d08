using Shared.OpenSearch;

namespace DomainSetup.OpenSearch;

/// <summary>
/// Installs the composable index templates the functions' documents need (text + .keyword strings, dates,
/// unindexed audit bodies). <c>PUT _index_template/&lt;name&gt;</c> replaces a template of the same name,
/// so re-running is harmless; a template only affects indices created after it. The body is built by the
/// functions' own <see cref="IndexTemplate.ForPrefix"/>, so the setup and a function install the same bytes.
/// </summary>
public sealed class IndexTemplates(OpenSearchApi api)
{
    /// <summary>Installs one template under the name of the index prefix, for indices <c>&lt;prefix&gt;-*</c>.</summary>
    public async Task InstallAsync(byte[] templateJson, string indexPrefix, CancellationToken cancellationToken)
    {
        var template = IndexTemplate.ForPrefix(indexPrefix, templateJson, indexPrefix);
        (await api.SendAsync(HttpMethod.Put, $"_index_template/{template.Name}", System.Text.Encoding.UTF8.GetString(template.Body.Span), cancellationToken))
            .EnsureSuccess($"PUT _index_template/{template.Name}");
    }
}
