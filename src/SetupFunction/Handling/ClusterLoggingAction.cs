using Microsoft.Extensions.Logging;
using Shared.Aws;

namespace SetupFunction.Handling;

/// <summary>
/// Turns on the cluster's control-plane log types during the deploy (context key enableControlPlaneLogs). The log
/// group <c>/aws/eks/&lt;cluster&gt;/cluster</c> is created first if it does not exist, because the stack's
/// subscription filter waits for this resource and needs the group, while EKS creates it only when its first log
/// line arrives. Then <c>DescribeCluster</c> tells which types are on, and <c>UpdateClusterConfig</c> turns the
/// missing ones on; all on already, or EKS answering "No changes needed", is success. An update already running
/// on the cluster (<c>ResourceInUseException</c>) is waited out a few times.
/// </summary>
public sealed partial class ClusterLoggingAction(EksClusterLogging eks, LogsLogGroups logs, TimeProvider time, ILogger<ClusterLoggingAction> logger) : IClusterLogging
{
    /// <summary>Tries of an update refused because another one is running.</summary>
    public const int MaxInUseTries = 4;

    /// <summary>Pause between those tries.</summary>
    public static readonly TimeSpan InUseDelay = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public async Task<ActionOutcome> RunAsync(string clusterName, string logGroupName, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        var created = await logs.EnsureAsync(logGroupName, cancellationToken);
        var group = created ? $"log group {logGroupName} created" : $"log group {logGroupName} exists";
        var manual = $"aws eks update-cluster-config --name {clusterName} --logging '{{\"clusterLogging\":[{{\"types\":[\"{string.Join("\",\"", types)}\"],\"enabled\":true}}]}}'";
        try
        {
            var enabled = await eks.EnabledTypesAsync(clusterName, cancellationToken);
            var missing = types.Where(t => !enabled.Contains(t)).ToList();
            if (missing.Count == 0)
            {
                return Outcome(ActionOutcome.Done, $"{group}; control-plane log types already on: {string.Join(", ", types)}.");
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var update = await eks.EnableAsync(clusterName, missing, cancellationToken);
                    return Outcome(ActionOutcome.Done, update is null
                        ? $"{group}; control-plane log types already on: {string.Join(", ", types)}."
                        : $"{group}; turned on {string.Join(", ", missing)} (EKS update {update}; logs start within minutes).");
                }
                catch (AwsServiceException ex) when (ex.ErrorCode == "ResourceInUseException" && attempt < MaxInUseTries)
                {
                    LogUpdateInProgress(logger, clusterName, attempt);
                    await Task.Delay(InUseDelay, time, cancellationToken);
                }
            }
        }
        catch (AwsServiceException ex)
        {
            return Outcome(ActionOutcome.NotDone, $"{group}; could not turn the log types on: {ex.Message}. Turn them on with: {manual}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Outcome(ActionOutcome.NotDone, $"{group}; EKS did not answer: {ex.Message}. Turn the log types on with: {manual}");
        }
    }

    private ActionOutcome Outcome(string status, string message)
    {
        LogOutcome(logger, status, message);
        return new ActionOutcome { Status = status, Message = message };
    }

    [LoggerMessage(EventId = 810, Level = LogLevel.Information, Message = "Cluster logging {Status}: {Message}")]
    private static partial void LogOutcome(ILogger logger, string status, string message);

    [LoggerMessage(EventId = 811, Level = LogLevel.Warning, Message = "Another update is running on cluster {Cluster} (try {Attempt}); waiting")]
    private static partial void LogUpdateInProgress(ILogger logger, string cluster, int attempt);
}
