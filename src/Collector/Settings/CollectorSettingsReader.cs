using System.Globalization;
using Shared.Contract.Queue;

namespace Collector.Settings;

/// <summary>
/// Turns environment variables into <see cref="CollectorSettings"/>. Collects every problem before failing,
/// and each message names the variable and the value it had.
/// </summary>
public static class CollectorSettingsReader
{
    /// <summary>The smallest message limit accepted: room for an envelope and one truncated event.</summary>
    public const int MinMessageBytes = 2048;

    /// <summary>Reads the settings, or throws <see cref="InvalidSettingsException"/> listing every bad one.</summary>
    public static CollectorSettings Read(IReadOnlyDictionary<string, string?> environment, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var reader = new Reader(environment);
        var defaults = new CollectorSettings();

        Uri? queueUrl = null;
        var queueText = reader.Get(EnvironmentVariables.QueueUrl);
        if (queueText is null)
        {
            if (!dryRun)
            {
                reader.Error($"{EnvironmentVariables.QueueUrl} is required (the SQS queue URL), unless --dry-run is given.");
            }
        }
        else if (!Uri.TryCreate(queueText, UriKind.Absolute, out queueUrl) || (queueUrl.Scheme != Uri.UriSchemeHttps && queueUrl.Scheme != Uri.UriSchemeHttp))
        {
            reader.Error($"{EnvironmentVariables.QueueUrl} must be an http(s) URL, got '{queueText}'.");
            queueUrl = null;
        }

        var settings = new CollectorSettings
        {
            QueueUrl = queueUrl,
            DryRun = dryRun,
            ClusterName = reader.Get(EnvironmentVariables.ClusterName) ?? defaults.ClusterName,
            MaxMessageBytes = reader.Int(EnvironmentVariables.MaxMessageBytes, defaults.MaxMessageBytes, MinMessageBytes, QueueContract.MaxMessageBytesLimit),
            FlushInterval = reader.Duration(EnvironmentVariables.FlushInterval, defaults.FlushInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(15)),
            Namespaces = reader.List(EnvironmentVariables.Namespaces),
            ExcludeNamespaces = reader.List(EnvironmentVariables.ExcludeNamespaces),
            IncludeTypes = reader.List(EnvironmentVariables.IncludeTypes),
            ExcludeTypes = reader.List(EnvironmentVariables.ExcludeTypes),
            IncludeReasons = reader.List(EnvironmentVariables.IncludeReasons),
            ExcludeReasons = reader.List(EnvironmentVariables.ExcludeReasons),
            IncludeKinds = reader.List(EnvironmentVariables.IncludeKinds),
            ExcludeKinds = reader.List(EnvironmentVariables.ExcludeKinds),
            LeaderElection = reader.Bool(EnvironmentVariables.LeaderElection, defaults.LeaderElection),
            LeaseName = reader.Get(EnvironmentVariables.LeaseName) ?? defaults.LeaseName,
            LeaseDuration = reader.Duration(EnvironmentVariables.LeaseDuration, defaults.LeaseDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            LeaseRenewDeadline = reader.Duration(EnvironmentVariables.LeaseRenewDeadline, defaults.LeaseRenewDeadline, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10)),
            LeaseRetryPeriod = reader.Duration(EnvironmentVariables.LeaseRetryPeriod, defaults.LeaseRetryPeriod, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            PodNamespace = reader.Get(EnvironmentVariables.PodNamespace) ?? defaults.PodNamespace,
            PodName = reader.Get(EnvironmentVariables.PodName) ?? defaults.PodName,
            HttpPort = reader.Int(EnvironmentVariables.HttpPort, defaults.HttpPort, 0, 65535),
            BufferCapacity = reader.Int(EnvironmentVariables.BufferCapacity, defaults.BufferCapacity, 1, 10_000_000),
            ListPageSize = reader.Int(EnvironmentVariables.ListPageSize, defaults.ListPageSize, 1, 10_000),
            WatchIdleTimeout = reader.Duration(EnvironmentVariables.WatchIdleTimeout, defaults.WatchIdleTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            WatchBackoffMax = reader.Duration(EnvironmentVariables.WatchBackoffMax, defaults.WatchBackoffMax, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            SendBackoffMax = reader.Duration(EnvironmentVariables.SendBackoffMax, defaults.SendBackoffMax, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)),
            HealthStallTimeout = reader.Duration(EnvironmentVariables.HealthStallTimeout, defaults.HealthStallTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(24)),
            HeartbeatInterval = reader.Duration(EnvironmentVariables.HeartbeatInterval, defaults.HeartbeatInterval, TimeSpan.Zero, TimeSpan.FromHours(1)),
            DedupCapacity = reader.Int(EnvironmentVariables.DedupCapacity, defaults.DedupCapacity, 0, 10_000_000),
            ShutdownTimeout = reader.Duration(EnvironmentVariables.ShutdownTimeout, defaults.ShutdownTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
        };

        // Cross-field rules: only meaningful once each field parsed on its own.
        if (settings.LeaderElection)
        {
            if (settings.PodName.Length == 0)
            {
                reader.Error($"{EnvironmentVariables.PodName} is required when {EnvironmentVariables.LeaderElection} is true (it is this replica's identity in the Lease; set it from metadata.name with the downward API).");
            }

            if (settings.PodNamespace.Length == 0)
            {
                reader.Error($"{EnvironmentVariables.PodNamespace} is required when {EnvironmentVariables.LeaderElection} is true (the Lease lives there; set it from metadata.namespace with the downward API).");
            }

            if (settings.LeaseRenewDeadline >= settings.LeaseDuration)
            {
                reader.Error($"{EnvironmentVariables.LeaseRenewDeadline} ({settings.LeaseRenewDeadline}) must be shorter than {EnvironmentVariables.LeaseDuration} ({settings.LeaseDuration}).");
            }

            if (settings.LeaseRetryPeriod >= settings.LeaseRenewDeadline)
            {
                reader.Error($"{EnvironmentVariables.LeaseRetryPeriod} ({settings.LeaseRetryPeriod}) must be shorter than {EnvironmentVariables.LeaseRenewDeadline} ({settings.LeaseRenewDeadline}).");
            }
        }

        if (settings.HealthStallTimeout <= settings.WatchIdleTimeout)
        {
            reader.Error($"{EnvironmentVariables.HealthStallTimeout} ({settings.HealthStallTimeout}) must be longer than {EnvironmentVariables.WatchIdleTimeout} ({settings.WatchIdleTimeout}), or a quiet watch would fail the health check before the watchdog restarts it.");
        }

        if (settings.HeartbeatInterval > TimeSpan.Zero && settings.HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            reader.Error($"{EnvironmentVariables.HeartbeatInterval} must be 0 (off) or at least 1s, got '{reader.Get(EnvironmentVariables.HeartbeatInterval)}' (each heartbeat is one SQS request).");
        }

        if (reader.Errors.Count > 0)
        {
            throw new InvalidSettingsException(reader.Errors);
        }

        return settings;
    }

    /// <summary>Reads the process environment.</summary>
    public static CollectorSettings FromProcessEnvironment(bool dryRun)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = entry.Value as string;
        }

        return Read(environment, dryRun);
    }

    /// <summary>
    /// Parses "1s", "500ms", "2m", "1h" or a plain number of seconds ("1.5").
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var trimmed = text.Trim();
        (string number, double scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') || trimmed.EndsWith('H') => (trimmed[..^1], 3600.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || double.IsNaN(amount) || double.IsInfinity(amount))
        {
            return false;
        }

        var seconds = amount * scale;
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private sealed class Reader(IReadOnlyDictionary<string, string?> environment)
    {
        public List<string> Errors { get; } = [];

        public void Error(string message) => Errors.Add(message);

        /// <summary>The trimmed value, or null when unset or blank (blank means "use the default").</summary>
        public string? Get(string name) =>
            environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public int Int(string name, int fallback, int min, int max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                Error($"{name} must be a whole number from {min} to {max}, got '{text}'.");
                return fallback;
            }

            return value;
        }

        public TimeSpan Duration(string name, TimeSpan fallback, TimeSpan min, TimeSpan max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (!TryParseDuration(text, out var value) || value < min || value > max)
            {
                Error($"{name} must be a duration like '500ms', '1s', '2m' or a number of seconds, from {min} to {max}, got '{text}'.");
                return fallback;
            }

            return value;
        }

        public bool Bool(string name, bool fallback)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            if (!bool.TryParse(text, out var value))
            {
                Error($"{name} must be 'true' or 'false', got '{text}'.");
                return fallback;
            }

            return value;
        }

        public IReadOnlyList<string> List(string name)
        {
            var text = Get(name);
            return text is null ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
