using Functions.Runtime.Redelivery;

namespace IndexerFunction.Messages;

/// <summary>What the indexer needs of one SQS message.</summary>
/// <param name="MessageId">The id a batch item failure names.</param>
/// <param name="Body">The body, UTF-8.</param>
/// <param name="ClusterNameAttribute">The String message attribute <c>clusterName</c>, if present.</param>
/// <param name="BodyProblem">Why the body could not be read from the payload (an invalid escape), if it could not:
/// the message fails, its neighbours go on.</param>
/// <param name="EventSourceArn">The queue the message came from (<c>eventSourceARN</c>): where a held copy goes.</param>
/// <param name="Retry">The retry attributes of a re-queued copy (generation 0 for an original message).</param>
public readonly record struct SqsRecord(
    string MessageId,
    ReadOnlyMemory<byte> Body,
    string? ClusterNameAttribute,
    string? BodyProblem = null,
    string? EventSourceArn = null,
    RetryState Retry = default);
