using ControlPlaneLogsFunction.Parsing;
using Functions.Runtime.Events.CloudWatchLogs;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>What every document of one payload shares: where its lines come from.</summary>
/// <param name="Owner">The account id.</param>
/// <param name="LogGroup">The log group.</param>
/// <param name="LogStream">The log stream.</param>
/// <param name="ClusterName">The cluster, from the log group name or the CLUSTER_NAME setting.</param>
/// <param name="Type">The log type, from the stream name.</param>
public sealed record LogSource(string Owner, string LogGroup, string LogStream, string ClusterName, LogType Type)
{
    private const string GroupPrefix = "/aws/eks/";
    private const string GroupSuffix = "/cluster";

    /// <summary>The source of a payload.</summary>
    public static LogSource From(CloudWatchLogsPayload payload, string defaultClusterName)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var group = payload.LogGroup ?? string.Empty;
        var stream = payload.LogStream ?? string.Empty;
        return new LogSource(payload.Owner ?? string.Empty, group, stream, ClusterFromLogGroup(group) ?? defaultClusterName, LogStreamClassifier.Classify(stream));
    }

    /// <summary>The cluster name in an EKS log group name, <c>/aws/eks/&lt;cluster&gt;/cluster</c>; null for any other group.</summary>
    public static string? ClusterFromLogGroup(string logGroup)
    {
        ArgumentNullException.ThrowIfNull(logGroup);
        if (logGroup.Length > GroupPrefix.Length + GroupSuffix.Length
            && logGroup.StartsWith(GroupPrefix, StringComparison.Ordinal)
            && logGroup.EndsWith(GroupSuffix, StringComparison.Ordinal))
        {
            var name = logGroup[GroupPrefix.Length..^GroupSuffix.Length];
            return name.Contains('/', StringComparison.Ordinal) ? null : name;
        }

        return null;
    }
}
