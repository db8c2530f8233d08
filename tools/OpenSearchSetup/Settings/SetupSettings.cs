using System.Globalization;

namespace OpenSearchSetup.Settings;

/// <summary>
/// What the setup command was asked to do, from its command line (and the functions' own environment
/// variable names as fallbacks, so the same shell that configured them can run it). Errors name the option.
/// </summary>
public sealed class SetupSettings
{
    public const string DefaultEventsIndex = "eks-kubernetes-events";
    public const string DefaultControlPlaneIndex = "eks-control-plane-logs";

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

    /// <summary>Where the index templates and dashboards/*.ndjson are read from.</summary>
    public required string AssetsDirectory { get; init; }

    public static string Usage => """
        Usage: OpenSearchSetup --cluster-name <name> [options]
          --cluster-name <name>                 EKS cluster (env CLUSTER_NAME); names the default parameter prefix
          --ssm-parameter-prefix <path>         default /eksworkshop/<cluster>/opensearch (env SSM_PARAMETER_PREFIX)
          --events-index <prefix>               default eks-kubernetes-events (env EVENTS_INDEX)
          --control-plane-index <prefix>        default eks-control-plane-logs (env CONTROL_PLANE_INDEX)
          --events-retention-days <days>        default 30
          --control-plane-retention-days <days> default 14
          --dashboards-url <url>                default <endpoint>/_dashboards
          --assets <dir>                        index templates and saved objects; default: beside the tool
          --auth basic|sigv4                    default basic (env OPENSEARCH_AUTH); sigv4 signs with your AWS credentials
          --service es|aoss                     SigV4 signing name, default es (env OPENSEARCH_SERVICE)
        Reads <prefix>/host (and, with basic, <prefix>/user and <prefix>/password) from SSM (AWS SDK settings
        apply). Safe to re-run.
        """;

    /// <summary>Parses the command line; <paramref name="environment"/> supplies the fallbacks.</summary>
    public static SetupSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new SetupSettingsException(name, "expected --<option> <value>.");
            }

            options[name[2..]] = args[++i];
        }

        var known = new[] { "cluster-name", "ssm-parameter-prefix", "events-index", "control-plane-index", "events-retention-days", "control-plane-retention-days", "dashboards-url", "assets", "auth", "service" };
        foreach (var name in options.Keys.Where(k => !known.Contains(k)))
        {
            throw new SetupSettingsException($"--{name}", "is not an option.");
        }

        string? Get(string option, string? variable) =>
            options.TryGetValue(option, out var value) ? value : variable is null ? null : environment(variable) is { Length: > 0 } v ? v : null;

        var prefix = Get("ssm-parameter-prefix", "SSM_PARAMETER_PREFIX");
        if (prefix is null)
        {
            var cluster = Get("cluster-name", "CLUSTER_NAME")
                ?? throw new SetupSettingsException("--cluster-name", "is required unless --ssm-parameter-prefix is given.");
            prefix = $"/eksworkshop/{cluster}/opensearch";
        }

        if (!prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new SetupSettingsException("--ssm-parameter-prefix", $"'{prefix}' must start with '/' and not end with '/'.");
        }

        Uri? dashboards = null;
        if (Get("dashboards-url", null) is { } url && !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out dashboards))
        {
            throw new SetupSettingsException("--dashboards-url", $"'{url}' is not an absolute URL.");
        }

        var assets = Get("assets", null) ?? Path.Combine(AppContext.BaseDirectory, "Assets");
        if (!Directory.Exists(assets))
        {
            throw new SetupSettingsException("--assets", $"{assets} does not exist.");
        }

        var auth = (Get("auth", "OPENSEARCH_AUTH") ?? "basic").ToLowerInvariant();
        if (auth is not ("basic" or "sigv4"))
        {
            throw new SetupSettingsException("--auth", $"'{auth}' is not one of: basic, sigv4.");
        }

        var service = (Get("service", "OPENSEARCH_SERVICE") ?? "es").ToLowerInvariant();
        if (service is not ("es" or "aoss"))
        {
            throw new SetupSettingsException("--service", $"'{service}' is not one of: es, aoss.");
        }

        return new SetupSettings
        {
            Auth = auth,
            Service = service,
            ParameterPrefix = prefix,
            EventsIndex = Get("events-index", "EVENTS_INDEX") ?? DefaultEventsIndex,
            ControlPlaneIndex = Get("control-plane-index", "CONTROL_PLANE_INDEX") ?? DefaultControlPlaneIndex,
            EventsRetentionDays = Days(Get("events-retention-days", null), 30, "--events-retention-days"),
            ControlPlaneRetentionDays = Days(Get("control-plane-retention-days", null), 14, "--control-plane-retention-days"),
            DashboardsUrl = dashboards,
            AssetsDirectory = assets,
        };
    }

    private static int Days(string? text, int fallback, string option)
    {
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 3650
            ? days
            : throw new SetupSettingsException(option, $"'{text}' is not a number of days between 1 and 3650.");
    }
}
