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

    /// <summary>The first line of the error that lists every bad option; the usage follows it.</summary>
    public const string ErrorHeading = "Invalid command line:";

    // The functions' variables the same shell may already hold: an option not given falls back to its variable.
    private static readonly Dictionary<string, string> Fallbacks = new(StringComparer.Ordinal)
    {
        ["cluster-name"] = EnvironmentVariableNames.ClusterName,
        ["ssm-parameter-prefix"] = EnvironmentVariableNames.SsmParameterPrefix,
        ["events-index"] = EnvironmentVariableNames.EventsIndex,
        ["control-plane-index"] = EnvironmentVariableNames.ControlPlaneIndex,
        ["auth"] = EnvironmentVariableNames.OpenSearchAuth,
        ["service"] = EnvironmentVariableNames.OpenSearchService,
    };

    /// <summary>Parses the command line, reporting every bad option at once; <paramref name="environment"/> supplies the fallbacks.</summary>
    /// <exception cref="ConfigurationException">An option or the command is invalid; the message names each one.</exception>
    public static SetupSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new SettingsReader(new CommandLineSource(options, Fallbacks, environment));
        var command = SetupCommand.Setup;
        var start = 0;
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            switch (args[0])
            {
                case "verify":
                    command = SetupCommand.Verify;
                    break;
                case "setup":
                    break;
                default:
                    reader.AddError(CommandLineSource.Command, $"'{args[0]}' is not a command: use verify, or no command to run the setup.");
                    break;
            }

            start = 1;
        }

        for (var i = start; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                reader.AddError(name.TrimStart('-'), $"'{SettingsReader.Shown(name)}': expected --<option> <value>.");
                continue;
            }

            options[name[2..]] = args[++i];
        }

        foreach (var name in options.Keys.Where(k => !KnownOptions.Contains(k)))
        {
            reader.AddError(name, $"--{name} is not an option.");
        }

        var cluster = reader.GetOptional("cluster-name");
        if (command == SetupCommand.Verify && cluster is null)
        {
            reader.AddError("cluster-name", "--cluster-name is required by verify: the queues are named after the cluster.");
        }

        var prefix = reader.GetOptional("ssm-parameter-prefix");
        if (prefix is null)
        {
            if (cluster is null && command != SetupCommand.Verify)
            {
                reader.AddError("cluster-name", "--cluster-name is required unless --ssm-parameter-prefix is given.");
            }

            prefix = OpenSearchParameterPrefix.DefaultFor(cluster ?? string.Empty);
        }
        else if (!OpenSearchParameterPrefix.IsWellFormed(prefix))
        {
            reader.AddError("ssm-parameter-prefix", $"{reader.NameOf("ssm-parameter-prefix")}='{prefix}' {OpenSearchParameterPrefix.Rule}.");
        }

        var dashboards = reader.GetHttpUri("dashboards-url", "an absolute http(s) URL");

        ISetupAssets assets = EmbeddedSetupAssets.Instance;
        if (reader.GetOptional("assets") is { } directory)
        {
            if (Directory.Exists(directory))
            {
                assets = new DirectorySetupAssets(directory);
            }
            else
            {
                reader.AddError("assets", $"--assets='{directory}' does not exist.");
            }
        }

        var auth = reader.GetChoice("auth", "basic", [("basic", "basic"), ("sigv4", "sigv4")]);
        var service = reader.GetChoice("service", "es", [("es", "es"), ("aoss", "aoss")]);
        if (service == "aoss" && auth != "sigv4" && !reader.HasError("auth"))
        {
            // Every Serverless collection refuses basic authentication.
            reader.AddError("auth", $"{reader.NameOf("auth")} must be sigv4 with --service aoss: OpenSearch Serverless accepts only SigV4-signed requests.");
        }

        var settings = new SetupSettings
        {
            Command = command,
            ClusterName = cluster,
            Auth = auth,
            Service = service,
            ParameterPrefix = prefix,
            EventsIndex = reader.GetIndexPrefix("events-index", SetupOptions.DefaultEventsIndex),
            ControlPlaneIndex = reader.GetIndexPrefix("control-plane-index", SetupOptions.DefaultControlPlaneIndex),
            EventsRetentionDays = reader.GetInt32("events-retention-days", SetupOptions.DefaultEventsRetentionDays, 1, SetupOptions.MaxRetentionDays),
            ControlPlaneRetentionDays = reader.GetInt32("control-plane-retention-days", SetupOptions.DefaultControlPlaneRetentionDays, 1, SetupOptions.MaxRetentionDays),
            // Relative paths (saved objects, the app) are resolved against it, so it ends with '/'.
            DashboardsUrl = dashboards is null ? null : new Uri(dashboards.OriginalString.TrimEnd('/') + "/"),
            Assets = assets,
            WindowMinutes = reader.GetInt32("window-minutes", 15, 5, 1440),
            MaxMessageAgeSeconds = reader.GetInt32("max-message-age-seconds", 900, 60, 345_600),
        };
        reader.ThrowIfInvalid(ErrorHeading);
        return settings;
    }
}
