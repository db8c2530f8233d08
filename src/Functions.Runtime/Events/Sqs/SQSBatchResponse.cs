using System.Text.Json.Serialization;

namespace Functions.Runtime.Events.Sqs;

/// <summary>
/// The partial batch response of an SQS event source mapping with ReportBatchItemFailures, shaped like
/// Amazon.Lambda.SQSEvents' SQSBatchResponse: the messages listed come back; the others are deleted.
/// </summary>
#pragma warning disable CA1002, CA2227, CA1034 // Mirrors the AWS library's public shape on purpose.
public sealed class SQSBatchResponse
{
    /// <summary>The messages that were not fully processed.</summary>
    [JsonPropertyName("batchItemFailures")]
    public List<BatchItemFailure> BatchItemFailures { get; set; } = [];

    /// <summary>One failed message.</summary>
    public sealed class BatchItemFailure
    {
        /// <summary>The message id.</summary>
        [JsonPropertyName("itemIdentifier")]
        public string ItemIdentifier { get; set; } = string.Empty;
    }
}
#pragma warning restore CA1002, CA2227, CA1034
