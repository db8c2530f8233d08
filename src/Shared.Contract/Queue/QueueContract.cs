namespace Shared.Contract.Queue;

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

    /// <summary>The SQS data type of string attributes (<see cref="ClusterNameAttribute"/>, <see cref="RetryFirstFailedAtAttribute"/>).</summary>
    public const string StringDataType = "String";

    /// <summary>The SQS data type of number attributes (<see cref="RetryGenerationAttribute"/>).</summary>
    public const string NumberDataType = "Number";

    /// <summary>
    /// Whether an attribute of SQS data type <paramref name="dataType"/> is of <paramref name="type"/>: the type itself
    /// or a custom type built on it (<c>String.cluster</c>). Only such an attribute is read: a <c>clusterName</c>
    /// that is a Binary attribute names no cluster.
    /// </summary>
    public static bool HasDataType(string? dataType, string type) =>
        dataType?.StartsWith(type, StringComparison.Ordinal) == true;

    /// <summary>
    /// SQS message attribute (Number) a function adds to a copy of a message it re-queued because the message
    /// could not be stored for a transient reason (docs/reliability.md, "The outage promise"): 1 for the first
    /// copy, one more for each copy of a copy. Producers do not set it.
    /// </summary>
    public const string RetryGenerationAttribute = "retryGeneration";

    /// <summary>
    /// SQS message attribute (String, ISO 8601 UTC) on a re-queued copy: when its message first failed for a
    /// transient reason. The copies are held until this is older than OUTAGE_HOLD_HOURS.
    /// </summary>
    public const string RetryFirstFailedAtAttribute = "retryFirstFailedAt";

    /// <summary>Property added to an event whose <c>message</c> was shortened to fit one SQS message.</summary>
    public const string TruncatedProperty = "truncated";

    /// <summary>Default size limit of one message: SQS bills each 64 KiB chunk of a payload as a request.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024;

    /// <summary>The largest message SQS accepts.</summary>
    public const int MaxMessageBytesLimit = 1024 * 1024;

    /// <summary>The most entries one SendMessageBatch call takes.</summary>
    public const int MaxBatchEntries = 10;
}
