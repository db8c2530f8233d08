namespace ControlPlaneLogsFunction.Parsing;

/// <summary>Tells the log type from the stream name, and names the type as the <c>log_type</c> field does.</summary>
public static class LogStreamClassifier
{
    // Longest prefix first: "kube-apiserver-audit-" must win over "kube-apiserver-".
    private static readonly (string Prefix, LogType Type)[] Prefixes =
    [
        ("kube-apiserver-audit", LogType.KubeApiServerAudit),
        ("kube-apiserver", LogType.KubeApiServer),
        ("authenticator", LogType.Authenticator),
        ("kube-controller-manager", LogType.KubeControllerManager),
        ("cloud-controller-manager", LogType.CloudControllerManager),
        ("kube-scheduler", LogType.KubeScheduler),
    ];

    /// <summary>Every type, in the order of <see cref="LogType"/>.</summary>
    public static IReadOnlyList<LogType> All { get; } = Enum.GetValues<LogType>();

    /// <summary>The type of a stream such as <c>kube-apiserver-audit-4e9f9d6f...</c>.</summary>
    public static LogType Classify(string? logStream)
    {
        if (string.IsNullOrEmpty(logStream))
        {
            return LogType.Unknown;
        }

        foreach (var (prefix, type) in Prefixes)
        {
            // The prefix is the whole name or is followed by the '-' before the stream's hex suffix, so
            // "kube-apiserver-audit-x" is audit and "kube-apiserverfoo" is not the API server.
            if (logStream.StartsWith(prefix, StringComparison.Ordinal)
                && (logStream.Length == prefix.Length || logStream[prefix.Length] == '-'))
            {
                return type;
            }
        }

        return LogType.Unknown;
    }

    /// <summary>The <c>log_type</c> value: the stream prefix, or <c>unknown</c>.</summary>
    public static string Name(LogType type) => type switch
    {
        LogType.KubeApiServerAudit => "kube-apiserver-audit",
        LogType.KubeApiServer => "kube-apiserver",
        LogType.Authenticator => "authenticator",
        LogType.KubeControllerManager => "kube-controller-manager",
        LogType.CloudControllerManager => "cloud-controller-manager",
        LogType.KubeScheduler => "kube-scheduler",
        _ => "unknown",
    };

    /// <summary>True for the types whose lines are klog.</summary>
    public static bool IsKlog(LogType type) =>
        type is LogType.KubeApiServer or LogType.KubeControllerManager or LogType.CloudControllerManager or LogType.KubeScheduler;
}
