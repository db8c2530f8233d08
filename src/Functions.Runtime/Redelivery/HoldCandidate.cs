using Shared.Aws;

namespace Functions.Runtime.Redelivery;

/// <summary>A message received from SQS whose work failed for transient reasons only: what it takes to hold it.</summary>
/// <param name="MessageId">The message's id (the one a batch item failure would name).</param>
/// <param name="EventSourceArn">The queue it came from (the record's <c>eventSourceARN</c>); the copy goes back there.</param>
/// <param name="Body">Its body, UTF-8, sent again as it is.</param>
/// <param name="CarriedAttributes">Message attributes the copy keeps (e.g. <c>clusterName</c>); the retry attributes are added.</param>
/// <param name="Retry">Its retry attributes as received.</param>
/// <param name="FirstFailedFallback">When it first failed if it carries no retry attribute (e.g. an on-failure record's <c>timestamp</c>); null for now.</param>
/// <param name="Reason">Why it was not stored, for the log.</param>
public sealed record HoldCandidate(
    string MessageId,
    string? EventSourceArn,
    ReadOnlyMemory<byte> Body,
    IReadOnlyList<SqsMessageAttribute> CarriedAttributes,
    RetryState Retry,
    DateTimeOffset? FirstFailedFallback,
    string Reason);
