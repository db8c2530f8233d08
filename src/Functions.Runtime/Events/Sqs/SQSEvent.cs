using System.Text.Json.Serialization;

namespace Functions.Runtime.Events.Sqs;

/// <summary>An SQS event as Lambda delivers it, shaped like Amazon.Lambda.SQSEvents' SQSEvent.</summary>
#pragma warning disable CA1002, CA2227, CA1034, CA1707 // Mirrors the AWS library's public shape on purpose.
public sealed class SQSEvent
{
    /// <summary>The messages of the batch.</summary>
    [JsonPropertyName("Records")]
    public List<SQSMessage> Records { get; set; } = [];

    /// <summary>One SQS message.</summary>
    public sealed class SQSMessage
    {
        /// <summary>The message id: the identifier a batch item failure names.</summary>
        [JsonPropertyName("messageId")]
        public string MessageId { get; set; } = string.Empty;

        /// <summary>
        /// The token of this receipt of the message, needed to delete it or change its visibility; a new one on every
        /// receive, so it cannot identify the message (<see cref="MessageId"/> does).
        /// </summary>
        [JsonPropertyName("receiptHandle")]
        public string? ReceiptHandle { get; set; }

        /// <summary>The message text as the sender sent it (for the collector's queue, one JSON document), not decoded.</summary>
        [JsonPropertyName("body")]
        public string? Body { get; set; }

        /// <summary>Hex MD5 digest SQS computed of <see cref="Body"/>'s UTF-8 bytes, for checking it arrived intact.</summary>
        [JsonPropertyName("md5OfBody")]
        public string? Md5OfBody { get; set; }

        /// <summary>Hex MD5 digest SQS computed over the encoded <see cref="MessageAttributes"/>; null when there are none.</summary>
        [JsonPropertyName("md5OfMessageAttributes")]
        public string? Md5OfMessageAttributes { get; set; }

        /// <summary>ARN of the queue.</summary>
        [JsonPropertyName("eventSourceARN")]
        public string? EventSourceArn { get; set; }

        /// <summary>Always aws:sqs.</summary>
        [JsonPropertyName("eventSource")]
        public string? EventSource { get; set; }

        /// <summary>Region of the queue.</summary>
        [JsonPropertyName("awsRegion")]
        public string? AwsRegion { get; set; }

        /// <summary>System attributes (ApproximateReceiveCount, SentTimestamp, ...).</summary>
        [JsonPropertyName("attributes")]
        public Dictionary<string, string>? Attributes { get; set; }

        /// <summary>User message attributes.</summary>
        [JsonPropertyName("messageAttributes")]
        public Dictionary<string, MessageAttribute>? MessageAttributes { get; set; }
    }

    /// <summary>
    /// One user attribute of a message, e.g. the collector's <c>clusterName</c> (DataType <c>String</c>): its data type
    /// and a string or base64 binary value.
    /// </summary>
    public sealed class MessageAttribute
    {
        /// <summary>The value of a String or Number attribute.</summary>
        [JsonPropertyName("stringValue")]
        public string? StringValue { get; set; }

        /// <summary>The value of a Binary attribute, base64.</summary>
        [JsonPropertyName("binaryValue")]
        public string? BinaryValue { get; set; }

        /// <summary>Reserved by SQS.</summary>
        [JsonPropertyName("stringListValues")]
        public List<string>? StringListValues { get; set; }

        /// <summary>Reserved by SQS.</summary>
        [JsonPropertyName("binaryListValues")]
        public List<string>? BinaryListValues { get; set; }

        /// <summary>String, Number or Binary (with an optional custom suffix).</summary>
        [JsonPropertyName("dataType")]
        public string? DataType { get; set; }
    }
}
#pragma warning restore CA1002, CA2227, CA1034, CA1707
