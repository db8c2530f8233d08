namespace OpenSearchSetup.Verify;

/// <summary>
/// The queues of a cluster's pipeline, by their fixed names: the same rule as infra/cdk's PipelineStack.QueueName
/// (the collector's manifest carries the events queue's URL before the stack exists, so the names are fixed).
/// </summary>
public static class PipelineQueues
{
    /// <summary>The events queue: <c>&lt;cluster&gt;-eks-history-events</c>, cut to 76 characters.</summary>
    public static string Events(string clusterName) => Cut($"{clusterName}-eks-history-events", 76);

    /// <summary>The events queue's dead-letter queue.</summary>
    public static string EventsDeadLetter(string clusterName) => $"{Events(clusterName)}-dlq";

    /// <summary>The dead-letter queue of the control-plane deliveries: <c>&lt;cluster&gt;-eks-history-control-plane-dlq</c>, the cluster part cut so the whole fits SQS's 80 characters.</summary>
    public static string ControlPlaneDeadLetter(string clusterName)
    {
        const string Suffix = "-eks-history-control-plane-dlq";
        return Cut(clusterName, 80 - Suffix.Length) + Suffix;
    }

    private static string Cut(string name, int length) => name.Length <= length ? name : name[..length];
}
