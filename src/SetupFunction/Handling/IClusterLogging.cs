namespace SetupFunction.Handling;

/// <summary>Turns on a cluster's control-plane log types (<see cref="ClusterLoggingAction"/>).</summary>
public interface IClusterLogging
{
    /// <summary>Ensures the log group exists (throws when it cannot), then enables the types (an outcome, never an exception).</summary>
    Task<ActionOutcome> RunAsync(string clusterName, string logGroupName, IReadOnlyList<string> types, CancellationToken cancellationToken);
}
