using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace TestSupport.CloudWatchLogs;

/// <summary>Builds CloudWatch Logs subscription events the way CloudWatch Logs does: JSON, gzip, base64.</summary>
public static class SubscriptionEvents
{
    /// <summary>The cluster of the sample log group.</summary>
    public const string Cluster = "history-test";

    /// <summary>The sample log group.</summary>
    public const string LogGroup = "/aws/eks/" + Cluster + "/cluster";

    /// <summary>A DATA_MESSAGE payload for one stream of <paramref name="logGroup"/> (by default the sample log group).</summary>
    public static string Payload(string logStream, IEnumerable<(string Id, long Timestamp, string Message)> events, string messageType = "DATA_MESSAGE", string logGroup = LogGroup) =>
        new JsonObject
        {
            ["messageType"] = messageType,
            ["owner"] = "123456789012",
            ["logGroup"] = logGroup,
            ["logStream"] = logStream,
            ["subscriptionFilters"] = new JsonArray("eks-history"),
            ["logEvents"] = new JsonArray(events.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id,
                ["timestamp"] = e.Timestamp,
                ["message"] = e.Message,
            }).ToArray()),
        }.ToJsonString();

    /// <summary>The Lambda event for a payload.</summary>
    public static byte[] Event(string payloadJson) => Event(Gzip(Encoding.UTF8.GetBytes(payloadJson)));

    /// <summary>The Lambda event for already-compressed data.</summary>
    public static byte[] Event(byte[] compressed) => EventWithData(Convert.ToBase64String(compressed));

    /// <summary>The Lambda event with the given <c>awslogs.data</c> text.</summary>
    public static byte[] EventWithData(string data) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["awslogs"] = new JsonObject { ["data"] = data } }.ToJsonString());

    /// <summary>Gzip of the bytes.</summary>
    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Milliseconds since the epoch of a UTC time.</summary>
    public static long Millis(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
