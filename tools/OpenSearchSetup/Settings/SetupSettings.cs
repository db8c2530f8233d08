using System.Globalization;
using DomainSetup.Assets;
using DomainSetup.Setup;
using Shared.Contract.Settings;

namespace OpenSearchSetup.Settings;

/// <summary>
/// What the command was asked to do, from its command line (and the functions' own environment variable
/// names as fallbacks, so the same shell that configured them can run it). Errors name the option.
/// </summary>
public sealed class SetupSettings
{
    private static readonly string[] KnownOptions =
    [
        "cluster-name", "ssm-parameter-prefix", "events-index", "control-plane-index", "events-retention-days",
        "control-plane-retention-days", "dashboards-url", "assets", "auth", "service", "window-minutes", "max-message-age-seconds",
    ];

    /// <summary>What to run: the setup (default) or <c>verify</c>.</summary>
    public SetupCommand Command { get; init; } = SetupCommand.Setup;

    /// <summary>The EKS cluster, when given: names the default prefix and, for <c>verify</c>, the queues.</summary>
    public string? ClusterName { get; init; }

    public required string ParameterPrefix { get; init; }
    public required string EventsIndex { get; init; }
    public required string ControlPlaneIndex { get; init; }
    public required int EventsRetentionDays { get; init; }
    public required int ControlPlaneRetentionDays { get; init; }

    /// <summary>The Dashboards base URL; null means "&lt;domain endpoint&gt;/_dashboards" (Amazon OpenSearch Service).</summary>
    public Uri? DashboardsUrl { get; init; }

    /// <summary>basic (user and password parameters) or sigv4 (the caller's AWS credentials), as OPENSEARCH_AUTH.</summary>
    public string Auth { get; init; } = "basic";

    /// <summary>The SigV4 signing name: es or aoss, as OPENSEARCH_SERVICE.</summary>
    public string Service { get; init; } = "es";

    /// <summary>Where the index templates and dashboards/*.ndjson are read from: built in, or the --assets folder.</summary>
    public required ISetupAssets Assets { get; init; }

    /// <summary><c>verify</c>: how far back documents and collector sends count as recent.</summary>
    public int WindowMinutes { get; init; } = 15;

    /// <summary><c>verify</c>: the oldest queued message may be this old before the queue counts as falling behind (the stack's maxMessageAgeSeconds).</summary>
    public int MaxMessageAgeSeconds { get; init; } = 900;

    public static string Usage => """
        Usage: OpenSearchSetup [verify] --cluster-name <name> [options]
          (no command)                          install index templates, retention and dashboards (safe to re-run)
          verify                                check every hop of a running pipeline; exit code 1 when one fails
          --cluster-name <name>                 EKS cluster (env CLUSTER_NAME); names the default parameter prefix and the queues
          --ssm-parameter-prefix <path>         default /eksworkshop/<cluster>/opensearch (env SSM_PARAMETER_PREFIX)
          --events-index <prefix>               default eks-kubernetes-events (env EVENTS_INDEX)
          --control-plane-index <prefix>        default eks-control-plane-logs (env CONTROL_PLANE_INDEX)
          --events-retention-days <days>        default 30
          --control-plane-retention-days <days> default 14
          --dashboards-url <url>                default <endpoint>/_dashboards
          --assets <dir>                        index templates and saved objects to install instead of the built-in ones
          --auth basic|sigv4                    default basic (env OPENSEARCH_AUTH); sigv4 signs with your AWS credentials
          --service es|aoss                     SigV4 signing name, default es (env OPENSEARCH_SERVICE)
          --window-minutes <n>                  verify: what counts as recent, default 15
          --max-message-age-seconds <n>         verify: the oldest queued message may be this old, default 900
        Reads <prefix>/host (and, with basic, <prefix>/user and <prefix>/password) from SSM (AWS SDK settings
        apply).
        """;

    /// <summary>The setup's own options.</summary>
    public SetupOptions ToOptions() => new()
    {
        EventsIndex = EventsIndex,
        ControlPlaneIndex = ControlPlaneIndex,
        EventsRetentionDays = EventsRetentionDays,
        ControlPlaneRetentionDays = ControlPlaneRetentionDays,
        DashboardsUrl = DashboardsUrl,
        Serverless = Service == "aoss",
    };

    /// <summary>Parses the command line; <paramref name="environment"/> supplies the fallbacks.</summary>
    public static SetupSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var command = SetupCommand.Setup;
        var start = 0;
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            command = args[0] switch
            {
                "verify" => SetupCommand.Verify,
                "setup" => SetupCommand.Setup,
                _ => throw new SetupSettingsException(args[0], "is not a command: use verify, or no command to run the setup."),
            };
            start = 1;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = start; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new SetupSettingsException(name, "expected --<option> <value>.");
            }

            options[name[2..]] = args[++i];
        }

        foreach (var name in options.Keys.Where(k => !KnownOptions.Contains(k)))
        {
            throw new SetupSettingsException($"--{name}", "is not an option.");
        }

        string? Get(string option, string? variable) =>
            options.TryGetValue(option, out var value) ? value : variable is null ? null : environment(variable) is { Length: > 0 } v ? v : null;

        var cluster = Get("cluster-name", EnvironmentVariableNames.ClusterName);
        if (command == SetupCommand.Verify && cluster is null)
        {
            throw new SetupSettingsException("--cluster-name", "is required by verify: the queues are named after the cluster.");
        }

        var prefix = Get("ssm-parameter-prefix", EnvironmentVariableNames.SsmParameterPrefix);
        if (prefix is null)
        {
            prefix = cluster is not null
                ? OpenSearchParameterPrefix.DefaultFor(cluster)
                : throw new SetupSettingsException("--cluster-name", "is required unless --ssm-parameter-prefix is given.");
        }

        if (!OpenSearchParameterPrefix.IsWellFormed(prefix))
        {
            throw new SetupSettingsException("--ssm-parameter-prefix", $"'{prefix}' {OpenSearchParameterPrefix.Rule}.");
        }

        Uri? dashboards = null;
        if (Get("dashboards-url", null) is { } url && !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out dashboards))
        {
            throw new SetupSettingsException("--dashboards-url", $"'{url}' is not an absolute URL.");
        }

        ISetupAssets assets = EmbeddedSetupAssets.Instance;
        if (Get("assets", null) is { } directory)
        {
            assets = Directory.Exists(directory)
                ? new DirectorySetupAssets(directory)
                : throw new SetupSettingsException("--assets", $"{directory} does not exist.");
        }

        var auth = (Get("auth", EnvironmentVariableNames.OpenSearchAuth) ?? "basic").ToLowerInvariant();
        if (auth is not ("basic" or "sigv4"))
        {
            throw new SetupSettingsException("--auth", $"'{auth}' is not one of: basic, sigv4.");
        }

        var service = (Get("service", EnvironmentVariableNames.OpenSearchService) ?? "es").ToLowerInvariant();
        if (service is not ("es" or "aoss"))
        {
            throw new SetupSettingsException("--service", $"'{service}' is not one of: es, aoss.");
        }

        if (service == "aoss" && auth != "sigv4")
        {
            // Every Serverless collection refuses basic authentication.
            throw new SetupSettingsException("--auth", "must be sigv4 with --service aoss: OpenSearch Serverless accepts only SigV4-signed requests.");
        }

        return new SetupSettings
        {
            Command = command,
            ClusterName = cluster,
            Auth = auth,
            Service = service,
            ParameterPrefix = prefix,
            EventsIndex = Get("events-index", EnvironmentVariableNames.EventsIndex) ?? SetupOptions.DefaultEventsIndex,
            ControlPlaneIndex = Get("control-plane-index", EnvironmentVariableNames.ControlPlaneIndex) ?? SetupOptions.DefaultControlPlaneIndex,
            EventsRetentionDays = Number(Get("events-retention-days", null), SetupOptions.DefaultEventsRetentionDays, 1, SetupOptions.MaxRetentionDays, "--events-retention-days", "a number of days"),
            ControlPlaneRetentionDays = Number(Get("control-plane-retention-days", null), SetupOptions.DefaultControlPlaneRetentionDays, 1, SetupOptions.MaxRetentionDays, "--control-plane-retention-days", "a number of days"),
            DashboardsUrl = dashboards,
            Assets = assets,
            WindowMinutes = Number(Get("window-minutes", null), 15, 5, 1440, "--window-minutes", "a number of minutes"),
            MaxMessageAgeSeconds = Number(Get("max-message-age-seconds", null), 900, 60, 345_600, "--max-message-age-seconds", "a number of seconds"),
        };
    }

    private static int Number(string? text, int fallback, int min, int max, string option, string what)
    {
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new SetupSettingsException(option, $"'{text}' is not {what} between {min} and {max}.");
    }
}
