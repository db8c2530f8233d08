using System.Text;
using TestSupport.CloudWatchLogs;
using Functions.Core.Events.CloudWatchLogs;

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
}
