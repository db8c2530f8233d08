using System.Text;
using System.Text.Json.Serialization;

namespace Functions.Runtime.Events.CloudWatchLogs;

/// <summary>
/// The event a CloudWatch Logs subscription filter invokes a function with, shaped like
/// Amazon.Lambda.CloudWatchLogsEvents' CloudWatchLogsEvent: <c>{"awslogs":{"data":"&lt;base64 of gzip JSON&gt;"}}</c>.
/// </summary>
#pragma warning disable CA1034 // Mirrors the AWS library's public shape on purpose.
public sealed class CloudWatchLogsEvent
{
    /// <summary>The encoded log data.</summary>
    [JsonPropertyName("awslogs")]
    public Log? Awslogs { get; set; }

    /// <summary>The <c>awslogs</c> object.</summary>
    public sealed class Log
    {
        /// <summary>Base64 of the gzip-compressed <see cref="CloudWatchLogsPayload"/> JSON.</summary>
        [JsonPropertyName("data")]
        public string? EncodedData { get; set; }

        /// <summary>
        /// The payload JSON as text, decompressed with the default cap
        /// (<see cref="CloudWatchLogsDecoder.DefaultMaxDecompressedBytes"/>).
        /// </summary>
        /// <exception cref="CloudWatchLogsDecodeException">The data is not base64 of gzip, or inflates past the cap.</exception>
        public string DecodeData() =>
            Encoding.UTF8.GetString(CloudWatchLogsDecoder.Decompress(EncodedData, CloudWatchLogsDecoder.DefaultMaxDecompressedBytes).Span);
    }
}
#pragma warning restore CA1034
