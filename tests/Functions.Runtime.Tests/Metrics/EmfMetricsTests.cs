using System.Buffers;
using System.Text.Json;
using Functions.Runtime.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Functions.Runtime.Tests.Metrics;

public sealed class EmfMetricsTests
{
    [Fact]
    public void WriteTo_Metrics_ProducesAnEmbeddedMetricFormatRecordCloudWatchAccepts()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        var buffer = new ArrayBufferWriter<byte>();

        new EmfMetrics("indexer", time)
            .Property("requestId", "r-1")
            .Count("DocumentsIndexed", 98)
            .Count("DocumentsFailed", 2)
            .Milliseconds("BulkMilliseconds", 12.5)
            .WriteTo(buffer);

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        var root = json.RootElement;
        var aws = root.GetProperty("_aws");
        Assert.Equal(1_700_000_000_123, aws.GetProperty("Timestamp").GetInt64());
        var directive = Assert.Single(aws.GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal("EksHistory", directive.GetProperty("Namespace").GetString());
        Assert.Equal("FunctionName", Assert.Single(Assert.Single(directive.GetProperty("Dimensions").EnumerateArray()).EnumerateArray()).GetString());
        var declared = directive.GetProperty("Metrics").EnumerateArray().Select(m => (m.GetProperty("Name").GetString(), m.GetProperty("Unit").GetString())).ToList();
        Assert.Equal([("DocumentsIndexed", "Count"), ("DocumentsFailed", "Count"), ("BulkMilliseconds", "Milliseconds")], declared);
        // Every declared metric and dimension must be a top-level member, or CloudWatch drops the record.
        Assert.Equal("indexer", root.GetProperty("FunctionName").GetString());
        Assert.Equal(98, root.GetProperty("DocumentsIndexed").GetDouble());
        Assert.Equal(2, root.GetProperty("DocumentsFailed").GetDouble());
        Assert.Equal(12.5, root.GetProperty("BulkMilliseconds").GetDouble());
        Assert.Equal("r-1", root.GetProperty("requestId").GetString());
    }

    [Fact]
    public void WriteTo_ExtraDimension_IsDeclaredAndPresent()
    {
        var buffer = new ArrayBufferWriter<byte>();

        new EmfMetrics("cp", TimeProvider.System).Dimension("LogType", "kube-apiserver-audit").Count("Documents", 7).WriteTo(buffer);

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        var dims = json.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions")[0];
        Assert.Equal(["FunctionName", "LogType"], dims.EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("kube-apiserver-audit", json.RootElement.GetProperty("LogType").GetString());
    }

    [Fact]
    public void ForDimensions_ClusterAndReason_DeclaresExactlyThoseDimensionsWithoutTheFunction()
    {
        var buffer = new ArrayBufferWriter<byte>();

        EmfMetrics.ForDimensions(new FakeTimeProvider(), ("ClusterName", "shop-prod"), ("Reason", "BackOff"))
            .Count("WarningEvents", 3)
            .WriteTo(buffer);

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        var root = json.RootElement;
        var directive = Assert.Single(root.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray());
        Assert.Equal(["ClusterName", "Reason"], Assert.Single(directive.GetProperty("Dimensions").EnumerateArray()).EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("shop-prod", root.GetProperty("ClusterName").GetString());
        Assert.Equal("BackOff", root.GetProperty("Reason").GetString());
        Assert.Equal(3, root.GetProperty("WarningEvents").GetDouble());
        Assert.False(root.TryGetProperty("FunctionName", out _));
    }
}
