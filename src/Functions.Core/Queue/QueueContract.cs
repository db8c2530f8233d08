namespace Functions.Core.Queue;

/// <summary>
/// The names that make up the queue message contract between the Collector (and any other producer)
/// and the IndexerFunction. See docs/contract.md, "Queue message".
/// </summary>
public static class QueueContract
{
    /// <summary>The <c>schema</c> value of the envelope the Collector writes.</summary>
    public const string EnvelopeSchema = "eks-events/v1";

    /// <summary>Envelope property naming the schema.</summary>
    public const string SchemaProperty = "schema";

    /// <summary>Envelope property carrying the cluster name.</summary>
    public const string ClusterNameProperty = "clusterName";

    /// <summary>Envelope property carrying the core/v1 Event objects.</summary>
    public const string EventsProperty = "events";

    /// <summary>
    /// SQS message attribute (String) that names the cluster for the bare forms (a single Event, an
    /// EventList or List), which have no envelope to carry it.
    /// </summary>
    public const string ClusterNameAttribute = "clusterName";

    /// <summary>Property added to an event whose <c>message</c> was shortened to fit one SQS message.</summary>
    public const string TruncatedProperty = "truncated";

    /// <summary>Default size limit of one message: SQS bills each 64 KiB chunk of a payload as a request.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024;

    /// <summary>The largest message SQS accepts.</summary>
    public const int MaxMessageBytesLimit = 1024 * 1024;

    /// <summary>The most entries one SendMessageBatch call takes.</summary>
    public const int MaxBatchEntries = 10;
}
