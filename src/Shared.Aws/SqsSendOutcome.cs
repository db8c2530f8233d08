namespace Shared.Aws;

/// <summary>What SQS answered for one entry of a <c>SendMessageBatch</c>.</summary>
/// <param name="Accepted">True when SQS stored the entry with the MD5 of the body sent.</param>
/// <param name="MessageId">The new message's id, when accepted.</param>
/// <param name="Code">SQS's error code when not accepted (or <c>NotConfirmed</c>, <c>MD5Mismatch</c>).</param>
/// <param name="Message">SQS's message when not accepted.</param>
public readonly record struct SqsSendOutcome(bool Accepted, string? MessageId, string? Code, string? Message);
