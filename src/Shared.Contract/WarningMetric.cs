namespace Shared.Contract;

/// <summary>
/// The <c>WarningEvents</c> metric the indexer emits and the stack alarms on (docs/indexer.md, docs/deploy.md):
/// Kubernetes Warning events per cluster and reason, counted once per new occurrence. CloudWatch bills each
/// distinct set of dimension values as one custom metric and any controller may invent reasons, so only a
/// fixed, bounded list of reasons is named; every other reason counts as <see cref="Other"/>. The function
/// and the CDK app read the list with the same rule, here. Depends on nothing but the base library.
/// </summary>
public static class WarningMetric
{
    /// <summary>The metric's name (namespace <c>EksHistory</c>).</summary>
    public const string MetricName = "WarningEvents";

    /// <summary>The cluster dimension: the cluster the event came from.</summary>
    public const string ClusterDimension = "ClusterName";

    /// <summary>The reason dimension: a listed reason or <see cref="Other"/>.</summary>
    public const string ReasonDimension = "Reason";

    /// <summary>The reason every unlisted one is counted under.</summary>
    public const string Other = "Other";

    /// <summary>The most reasons a list may hold: each costs one metric per cluster.</summary>
    public const int MaxReasons = 50;

    /// <summary>The longest reason name: Kubernetes reasons are short CamelCase identifiers.</summary>
    public const int MaxReasonChars = 128;

    /// <summary>
    /// The default list: Warning reasons of kubelet, the scheduler, the controllers and the node lifecycle
    /// that tell an operator something is wrong.
    /// </summary>
    public static IReadOnlyList<string> DefaultReasons { get; } =
    [
        "FailedScheduling", "BackOff", "Failed", "FailedMount", "FailedAttachVolume", "FailedDetachVolume", "FailedMapVolume",
        "Unhealthy", "ProbeWarning", "Evicted", "EvictionThresholdMet", "OOMKilling", "SystemOOM", "NodeNotReady", "Rebooted",
        "FailedCreatePodSandBox", "FailedKillPod", "FailedPreStopHook", "FailedPostStartHook", "NetworkNotReady",
        "FailedCreate", "FailedDelete", "BackoffLimitExceeded", "DeadlineExceeded", "ProvisioningFailed", "VolumeResizeFailed",
        "FailedGetResourceMetric", "FailedComputeMetricsReplicas", "FailedToUpdateEndpoint", "SyncLoadBalancerFailed",
        "InvalidDiskCapacity", "FreeDiskSpaceFailed",
    ];

    /// <summary>
    /// Reads a comma-separated list of reasons; empty entries are skipped and repeats kept once.
    /// </summary>
    /// <param name="text">The list as a user wrote it.</param>
    /// <param name="problem">Why the list cannot be used, quoting the entry at fault; null when it can.</param>
    public static IReadOnlyList<string> ParseReasons(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reasons = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        problem = null;
        foreach (var reason in reasons)
        {
            if (reason == Other)
            {
                problem = $"lists '{Other}', the name every unlisted reason is counted under; leave it out.";
                return reasons;
            }

            if (reason.Length > MaxReasonChars || !char.IsAsciiLetter(reason[0]) || !reason.All(char.IsAsciiLetterOrDigit))
            {
                problem = $"holds '{reason}', which is not a Kubernetes event reason: use names such as FailedScheduling, separated by commas.";
                return reasons;
            }
        }

        if (reasons.Count > MaxReasons)
        {
            problem = $"lists {reasons.Count} reasons; at most {MaxReasons} are allowed, since each is a CloudWatch metric per cluster.";
        }

        return reasons;
    }
}
