using Shared.Contract.Queue;
using Shared.Contract.Settings;

namespace Collector.Settings;

/// <summary>
/// Turns environment variables into <see cref="CollectorSettings"/>. Collects every problem before failing,
/// and each message names the variable and the value it had.
/// </summary>
public static class CollectorSettingsReader
{
    /// <summary>The smallest message limit accepted: room for an envelope and one truncated event.</summary>
    public const int MinMessageBytes = 2048;

    /// <summary>The first line of the error that lists every bad setting.</summary>
    public const string ErrorHeading = "Invalid collector settings (environment variables, docs/collector.md):";

    /// <summary>Reads the settings, or throws one <see cref="ConfigurationException"/> listing every bad one.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; its errors name each one with the value it had.</exception>
    public static CollectorSettings Read(IEnvironmentVariables environment, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var reader = new SettingsReader(environment);
        var defaults = new CollectorSettings();

        // Required unless --dry-run, which prints the envelopes instead of sending them.
        var queueUrl = dryRun || reader.GetRequired(EnvironmentVariables.QueueUrl, "the SQS queue URL, unless --dry-run is given.") is not null
            ? reader.GetHttpUri(EnvironmentVariables.QueueUrl, "an http(s) URL")
            : null;

        var settings = new CollectorSettings
        {
            QueueUrl = queueUrl,
            DryRun = dryRun,
            ClusterName = reader.GetOptional(EnvironmentVariables.ClusterName) ?? defaults.ClusterName,
            MaxMessageBytes = reader.GetInt32(EnvironmentVariables.MaxMessageBytes, defaults.MaxMessageBytes, MinMessageBytes, QueueContract.MaxMessageBytesLimit),
            FlushInterval = reader.GetDuration(EnvironmentVariables.FlushInterval, defaults.FlushInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(15)),
            Namespaces = reader.GetList(EnvironmentVariables.Namespaces),
            ExcludeNamespaces = reader.GetList(EnvironmentVariables.ExcludeNamespaces),
            IncludeTypes = reader.GetList(EnvironmentVariables.IncludeTypes),
            ExcludeTypes = reader.GetList(EnvironmentVariables.ExcludeTypes),
            IncludeReasons = reader.GetList(EnvironmentVariables.IncludeReasons),
            ExcludeReasons = reader.GetList(EnvironmentVariables.ExcludeReasons),
            IncludeKinds = reader.GetList(EnvironmentVariables.IncludeKinds),
            ExcludeKinds = reader.GetList(EnvironmentVariables.ExcludeKinds),
            LeaderElection = reader.GetBool(EnvironmentVariables.LeaderElection, defaults.LeaderElection),
            LeaseName = reader.GetOptional(EnvironmentVariables.LeaseName) ?? defaults.LeaseName,
            LeaseDuration = reader.GetDuration(EnvironmentVariables.LeaseDuration, defaults.LeaseDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            LeaseRenewDeadline = reader.GetDuration(EnvironmentVariables.LeaseRenewDeadline, defaults.LeaseRenewDeadline, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10)),
            LeaseRetryPeriod = reader.GetDuration(EnvironmentVariables.LeaseRetryPeriod, defaults.LeaseRetryPeriod, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            PodNamespace = reader.GetOptional(EnvironmentVariables.PodNamespace) ?? defaults.PodNamespace,
            PodName = reader.GetOptional(EnvironmentVariables.PodName) ?? defaults.PodName,
            HttpPort = reader.GetInt32(EnvironmentVariables.HttpPort, defaults.HttpPort, 0, 65535),
            BufferCapacity = reader.GetInt32(EnvironmentVariables.BufferCapacity, defaults.BufferCapacity, 1, 10_000_000),
            ListPageSize = reader.GetInt32(EnvironmentVariables.ListPageSize, defaults.ListPageSize, 1, 10_000),
            WatchIdleTimeout = reader.GetDuration(EnvironmentVariables.WatchIdleTimeout, defaults.WatchIdleTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            WatchBackoffMax = reader.GetDuration(EnvironmentVariables.WatchBackoffMax, defaults.WatchBackoffMax, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            SendBackoffMax = reader.GetDuration(EnvironmentVariables.SendBackoffMax, defaults.SendBackoffMax, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            HealthStallTimeout = reader.GetDuration(EnvironmentVariables.HealthStallTimeout, defaults.HealthStallTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(24)),
            HeartbeatInterval = reader.GetDuration(EnvironmentVariables.HeartbeatInterval, defaults.HeartbeatInterval, TimeSpan.Zero, TimeSpan.FromHours(1)),
            DedupCapacity = reader.GetInt32(EnvironmentVariables.DedupCapacity, defaults.DedupCapacity, 0, 10_000_000),
            ShutdownTimeout = reader.GetDuration(EnvironmentVariables.ShutdownTimeout, defaults.ShutdownTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
        };

        // Cross-field rules: only meaningful once each field parsed on its own.
        if (settings.LeaderElection)
        {
            if (settings.PodName.Length == 0)
            {
                reader.AddError(EnvironmentVariables.PodName, $"{EnvironmentVariables.PodName} is required when {EnvironmentVariables.LeaderElection} is true (it is this replica's identity in the Lease; set it from metadata.name with the downward API).");
            }

            if (settings.PodNamespace.Length == 0)
            {
                reader.AddError(EnvironmentVariables.PodNamespace, $"{EnvironmentVariables.PodNamespace} is required when {EnvironmentVariables.LeaderElection} is true (the Lease lives there; set it from metadata.namespace with the downward API).");
            }

            if (settings.LeaseRenewDeadline >= settings.LeaseDuration)
            {
                reader.AddError(EnvironmentVariables.LeaseRenewDeadline, $"{EnvironmentVariables.LeaseRenewDeadline} ({settings.LeaseRenewDeadline}) must be shorter than {EnvironmentVariables.LeaseDuration} ({settings.LeaseDuration}).");
            }

            if (settings.LeaseRetryPeriod >= settings.LeaseRenewDeadline)
            {
                reader.AddError(EnvironmentVariables.LeaseRetryPeriod, $"{EnvironmentVariables.LeaseRetryPeriod} ({settings.LeaseRetryPeriod}) must be shorter than {EnvironmentVariables.LeaseRenewDeadline} ({settings.LeaseRenewDeadline}).");
            }
        }

        if (settings.HealthStallTimeout <= settings.WatchIdleTimeout)
        {
            reader.AddError(EnvironmentVariables.HealthStallTimeout, $"{EnvironmentVariables.HealthStallTimeout} ({settings.HealthStallTimeout}) must be longer than {EnvironmentVariables.WatchIdleTimeout} ({settings.WatchIdleTimeout}), or a quiet watch would fail the health check before the watchdog restarts it.");
        }

        if (settings.HeartbeatInterval > TimeSpan.Zero && settings.HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            reader.AddError(EnvironmentVariables.HeartbeatInterval, $"{EnvironmentVariables.HeartbeatInterval} must be 0 (off) or at least 1s, got '{SettingsReader.Shown(reader.GetOptional(EnvironmentVariables.HeartbeatInterval) ?? string.Empty)}' (each heartbeat is one SQS request).");
        }

        reader.ThrowIfInvalid(ErrorHeading);
        return settings;
    }

    /// <summary>Reads the process environment.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; its errors name each one with the value it had.</exception>
    public static CollectorSettings FromProcessEnvironment(bool dryRun) => Read(ProcessEnvironmentVariables.Instance, dryRun);
}
