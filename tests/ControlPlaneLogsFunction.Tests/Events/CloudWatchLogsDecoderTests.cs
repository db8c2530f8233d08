using System.Text;
using Functions.Runtime.Events.CloudWatchLogs;
using TestSupport.CloudWatchLogs;

namespace ControlPlaneLogsFunction.Tests.Events;

public class CloudWatchLogsDecoderTests
{
    [Fact]
    public void Decompress_ZlibInsteadOfGzip_SaysItIsNotGzip()
    {
        // Powertools' sample event is zlib-compressed, not gzip as CloudWatch Logs sends: a mistake a hand-made event makes.
        using var zlib = new MemoryStream();
        using (var deflate = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(SubscriptionEvents.Payload("kube-scheduler-1", [("1", 0, "I0301 10:15:30.000001       1 x.go:1] hi")])));
        }

        var data = Convert.ToBase64String(zlib.ToArray());

        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.Decompress(data, 1024 * 1024));

        Assert.Contains("not gzip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompress_InvalidBase64_SaysBase64()
    {
        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.Decompress("not*base64!", 1024));

        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(200)]
    public void Decompress_TruncatedGzip_SaysTruncated(int cut)
    {
        var gzip = SubscriptionEvents.Gzip(Encoding.UTF8.GetBytes(new string('a', 10_000) + Guid.NewGuid()));

        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.Decompress(Convert.ToBase64String(gzip[..^Math.Min(cut, gzip.Length - 20)]), 1024 * 1024));

        Assert.Contains("truncated or corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompress_PastTheCap_IsRefusedWithTheCapInTheMessage()
    {
        // 64 MiB of zeros compress to about 64 KiB: a small delivery that would inflate a thousandfold.
        var bomb = SubscriptionEvents.Gzip(new byte[64 * 1024 * 1024]);

        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.Decompress(Convert.ToBase64String(bomb), 1024 * 1024));

        Assert.Contains("more than 1048576 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompress_ExactlyAtTheCap_IsAccepted()
    {
        var data = new byte[4096];

        var decoded = CloudWatchLogsDecoder.Decompress(Convert.ToBase64String(SubscriptionEvents.Gzip(data)), 4096);

        Assert.Equal(4096, decoded.Length);
    }

    [Fact]
    public void Decompress_Missing_SaysItIsNotASubscriptionDelivery()
    {
        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.Decompress(null, 1024));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEvent_RandomPayloadsAndEventShapes_SameBytesAsTheDeserializingPath()
    {
        var random = new Random(1234);
        for (var round = 0; round < 60; round++)
        {
            var inflated = new byte[random.Next(0, 400_000)];
            for (var i = 0; i < inflated.Length; i++)
            {
                inflated[i] = (byte)"abc {}\":,0123456789\n"[random.Next(19)];
            }

            var data = Convert.ToBase64String(SubscriptionEvents.Gzip(inflated));
            // Escaping a '/' as \/ is valid JSON; a producer may also break base64 into lines (\n), which base64 allows.
            var text = (round % 3) switch
            {
                0 => data,
                1 => data.Replace("/", "\\/", StringComparison.Ordinal),
                _ => string.Join("\\n", data.Chunk(76).Select(c => new string(c))),
            };
            var eventJson = (round % 2) switch
            {
                0 => $"{{\"awslogs\":{{\"data\":\"{text}\"}}}}",
                _ => $"{{\"before\":[1,{{\"data\":\"x\"}}],\"awslogs\":{{\"other\":{{\"data\":2}},\"data\":\"{text}\",\"after\":null}},\"extra\":\"y\"}}",
            };
            var viaSerializer = System.Text.Json.JsonSerializer.Deserialize<CloudWatchLogsEvent>(eventJson)!.Awslogs!.EncodedData;

            using var payload = CloudWatchLogsDecoder.DecodeEvent(Encoding.UTF8.GetBytes(eventJson), 1024 * 1024);

            Assert.Equal(CloudWatchLogsDecoder.Decompress(viaSerializer, 1024 * 1024).ToArray(), payload.Json.ToArray());
            Assert.Equal(inflated, payload.Json.ToArray());
        }
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"awslogs\"")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("{\"awslogs\":null}")]
    [InlineData("{\"awslogs\":{}}")]
    [InlineData("{\"awslogs\":{\"data\":null}}")]
    [InlineData("{\"awslogs\":{\"data\":\"\"}}")]
    [InlineData("{\"awslogs\":\"H4sIAAAAAAAAAA\"}")]
    [InlineData("{\"awslogs\":{\"data\":5}}")]
    [InlineData("{\"awslogs\":{\"data\":\"H4sIAAAAAAAAAA\"}} trailing")]
    [InlineData("{\"awslogs\":{\"data\":\"H4sIAAAAAAAAAA\"}")]
    [InlineData("{\"Awslogs\":{\"data\":\"H4sIAAAAAAAAAA\"}}")]
    public void DecodeEvent_NotASubscriptionEvent_SaysSo(string eventJson)
    {
        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.DecodeEvent(Encoding.UTF8.GetBytes(eventJson), 1024));

        Assert.StartsWith("The event is not a CloudWatch Logs subscription event: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not*base64!", "not valid base64")]
    [InlineData("aGVsbG8gd29ybGQ=", "not gzip")]
    public void DecodeEvent_DataThatIsNotBase64OfGzip_SaysWhichStepFailed(string data, string expected)
    {
        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.DecodeEvent(SubscriptionEvents.EventWithData(data), 1024));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEvent_PastTheCap_IsRefusedWithTheCapInTheMessage()
    {
        var bomb = SubscriptionEvents.Gzip(new byte[64 * 1024 * 1024]);

        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.DecodeEvent(SubscriptionEvents.Event(bomb), 1024 * 1024));

        Assert.Contains("more than 1048576 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEvent_PayloadLargerThanThePooledBuffers_IsWholeAndDisposesCleanly()
    {
        // Past the size whose buffers are pooled: allocated for the call, and dispose must not hand it to the pool.
        var inflated = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 1_000_000).Select(i => i.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + ",")));
        Assert.True(inflated.Length > 8 * 1024 * 1024);

        var payload = CloudWatchLogsDecoder.DecodeEvent(SubscriptionEvents.Event(SubscriptionEvents.Gzip(inflated)), 64 * 1024 * 1024);

        Assert.Equal(inflated, payload.Json.ToArray());
        payload.Dispose();
        Assert.True(payload.Json.IsEmpty);
        payload.Dispose();
    }
}
