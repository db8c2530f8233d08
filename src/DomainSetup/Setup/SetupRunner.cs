using DomainSetup.Assets;
using DomainSetup.OpenSearch;
using DomainSetup.Serverless;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;

namespace DomainSetup.Setup;

/// <summary>
/// Prepares the domain in the order the data needs it: templates before the first document creates an
/// index, retention for those indices, then the dashboards that read them. Every step is an idempotent
/// write, so the setup can be re-run after any failure or change; tools/OpenSearchSetup and the deploy's
/// custom resource (src/SetupFunction) both run exactly this.
/// </summary>
/// <remarks>
/// On OpenSearch Serverless (<see cref="SetupOptions.Serverless"/>) there is no ISM and no saved-objects import:
/// retention deletes the expired daily indices (<see cref="ExpiredIndices"/>), the dashboards step says how to
/// import them by hand, and a probe reports whether the collection honours the functions' external versions.
/// </remarks>
public sealed class SetupRunner(ICredentialsSource connections, IRequestAuthenticator authenticator, HttpClient http, ISetupAssets assets, TimeProvider time, TextWriter output)
{
    /// <summary>Runs every step and reports each; throws with the failing call's status and body.</summary>
    /// <exception cref="InvalidOperationException">A call failed (<see cref="CredentialsRefusedException"/> for a 401).</exception>
    public async Task<IReadOnlyList<SetupStep>> RunAsync(SetupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var steps = new List<SetupStep>();
        var connection = await connections.GetAsync(cancellationToken);
        await output.WriteLineAsync($"OpenSearch{(options.Serverless ? " Serverless" : string.Empty)}: {connection}");
        var api = new OpenSearchApi(http, connection, authenticator);

        async Task Report(SetupStep step)
        {
            steps.Add(step);
            await output.WriteLineAsync(step.ToString());
        }

        var templates = new IndexTemplates(api);
        foreach (var (prefix, file, _) in options.Indices)
        {
            await templates.InstallAsync(assets.Template(file).Content, prefix, cancellationToken);
            await Report(new SetupStep($"index template {prefix}", StepOutcome.Done, $"installed for {prefix}-*"));
        }

        if (options.Serverless)
        {
            await Report(await ProbeVersioningAsync(api, options.EventsIndex, cancellationToken));
            var expired = new ExpiredIndices(api, time);
            foreach (var (prefix, _, days) in options.Indices)
            {
                var deleted = await expired.DeleteAsync(prefix, days, cancellationToken);
                await Report(new SetupStep(
                    $"retention {prefix}",
                    StepOutcome.Done,
                    $"daily indices older than {days} days are deleted (no ISM on Serverless; the stack repeats this daily); deleted now: {(deleted.Count == 0 ? "none" : string.Join(", ", deleted))}"));
            }

            await Report(new SetupStep(
                "dashboards",
                StepOutcome.Skipped,
                "the setup cannot import saved objects into a Serverless collection's Dashboards; import dashboards/*.ndjson there (Dashboards Management > Saved objects > Import)"));
            return steps;
        }

        var policies = new IsmPolicies(api);
        foreach (var (prefix, _, days) in options.Indices)
        {
            await policies.InstallAsync(prefix, days, cancellationToken);
            await Report(new SetupStep($"ISM policy {IsmPolicies.PolicyId(prefix)}", StepOutcome.Done, $"delete after {days} days"));
        }

        var dashboards = options.DashboardsUrl ?? new Uri(connection.Endpoint, "_dashboards/");
        var import = new SavedObjectsImport(api, dashboards);
        var titles = new Dictionary<string, string>
        {
            [$"{SetupOptions.DefaultEventsIndex}*"] = $"{options.EventsIndex}*",
            [$"{SetupOptions.DefaultControlPlaneIndex}*"] = $"{options.ControlPlaneIndex}*",
        };
        foreach (var file in assets.SavedObjects())
        {
            var count = await import.ImportAsync(file, titles, cancellationToken);
            await Report(new SetupStep($"dashboards {file.FileName}", StepOutcome.Done, $"{count} saved objects imported into {dashboards}"));
        }

        return steps;
    }

    /// <summary>
    /// Deletes the expired daily indices of both prefixes: Serverless' retention, run daily by the stack's schedule
    /// (a domain's ISM policies do this by themselves).
    /// </summary>
    /// <returns>The indices deleted.</returns>
    public async Task<IReadOnlyList<string>> DeleteExpiredAsync(SetupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = await connections.GetAsync(cancellationToken);
        var expired = new ExpiredIndices(new OpenSearchApi(http, connection, authenticator), time);
        var deleted = new List<string>();
        foreach (var (prefix, _, days) in options.Indices)
        {
            var now = await expired.DeleteAsync(prefix, days, cancellationToken);
            deleted.AddRange(now);
            await output.WriteLineAsync($"retention {prefix}: {days} days; deleted: {(now.Count == 0 ? "none" : string.Join(", ", now))}");
        }

        return deleted;
    }

    private static async Task<SetupStep> ProbeVersioningAsync(OpenSearchApi api, string eventsIndex, CancellationToken cancellationToken)
    {
        var (support, reason) = await new ExternalVersionProbe(api).RunAsync(eventsIndex, cancellationToken);
        const string Name = "external versions";
        return support switch
        {
            VersioningSupport.Honoured => new SetupStep(Name, StepOutcome.Done, "honoured: an older copy of a document is refused (409), as on a domain"),
            VersioningSupport.Ignored => new SetupStep(Name, StepOutcome.Warning, "accepted but not enforced: a late redelivery of an older event version can replace the newer document until the event's next update (docs/deploy.md, OpenSearch Serverless)"),
            _ => throw new InvalidOperationException(
                $"The collection refuses the functions' writes (a client-chosen _id with version_type=external_gte): {reason}. Time-series and vector search collections refuse a client-chosen _id; the pipeline needs a search collection (docs/deploy.md, OpenSearch Serverless)."),
        };
    }
}
