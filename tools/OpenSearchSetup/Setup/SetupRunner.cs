using Functions.Core.Credentials;
using Functions.Core.OpenSearch;
using OpenSearchSetup.OpenSearch;
using OpenSearchSetup.Settings;

namespace OpenSearchSetup.Setup;

/// <summary>
/// Prepares the domain in the order the data needs it: templates before the first document creates an
/// index, retention policies for those indices, then the dashboards that read them. Every step is an
/// idempotent write, so the command can be re-run after any failure or change.
/// </summary>
public sealed class SetupRunner(ICredentialsSource connections, IRequestAuthenticator authenticator, HttpClient http, TextWriter output)
{
    /// <summary>Runs every step; throws with the failing call's status and body.</summary>
    public async Task RunAsync(SetupSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var connection = await connections.GetAsync(cancellationToken);
        await output.WriteLineAsync($"OpenSearch: {connection}");
        var api = new OpenSearchApi(http, connection, authenticator);

        var templates = new IndexTemplates(api);
        foreach (var (file, prefix) in new[]
                 {
                     ($"{SetupSettings.DefaultEventsIndex}.template.json", settings.EventsIndex),
                     ($"{SetupSettings.DefaultControlPlaneIndex}.template.json", settings.ControlPlaneIndex),
                 })
        {
            await templates.InstallAsync(Path.Combine(settings.AssetsDirectory, file), prefix, cancellationToken);
            await output.WriteLineAsync($"index template {prefix} for {prefix}-*: installed");
        }

        var policies = new IsmPolicies(api);
        foreach (var (prefix, days) in new[] { (settings.EventsIndex, settings.EventsRetentionDays), (settings.ControlPlaneIndex, settings.ControlPlaneRetentionDays) })
        {
            await policies.InstallAsync(prefix, days, cancellationToken);
            await output.WriteLineAsync($"ISM policy {IsmPolicies.PolicyId(prefix)}: delete after {days} days");
        }

        var dashboards = settings.DashboardsUrl ?? new Uri(connection.Endpoint, "_dashboards/");
        var import = new SavedObjectsImport(api, dashboards);
        var titles = new Dictionary<string, string>
        {
            [$"{SetupSettings.DefaultEventsIndex}*"] = $"{settings.EventsIndex}*",
            [$"{SetupSettings.DefaultControlPlaneIndex}*"] = $"{settings.ControlPlaneIndex}*",
        };
        foreach (var file in Directory.GetFiles(settings.AssetsDirectory, "*.ndjson").Order(StringComparer.Ordinal))
        {
            var count = await import.ImportAsync(file, titles, cancellationToken);
            await output.WriteLineAsync($"dashboards {Path.GetFileName(file)}: {count} saved objects imported into {dashboards}");
        }
    }
}
