namespace IndexerFunction.Messages;

/// <summary>What the indexer needs of one SQS message.</summary>
/// <param name="MessageId">The id a batch item failure names.</param>
/// <param name="Body">The body, UTF-8.</param>
/// <param name="ClusterNameAttribute">The String message attribute <c>clusterName</c>, if present.</param>
/// <param name="BodyProblem">Why the body could not be read from the payload (an invalid escape), if it could not:
/// the message fails, its neighbours go on.</param>
public readonly record struct SqsRecord(string MessageId, ReadOnlyMemory<byte> Body, string? ClusterNameAttribute, string? BodyProblem = null);
