using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functions.Runtime.Events.CloudWatchLogs;

namespace Conformance.Tests.AwsLambdaSamples;

/// <summary>Our CloudWatch Logs subscription decoding on the sample events of AWS's Lambda libraries and of Powertools.</summary>
public sealed class CloudWatchLogsDecoderTests
{
    [Theory]
    [InlineData("aws-lambda-dotnet_logs-event.json")]
    [InlineData("aws-lambda-go_cloudwatch-logs-event.json")]
    public void DecodeData_PublicSamples_GivesThePayload(string file)
    {
        var cwlEvent = JsonSerializer.Deserialize<CloudWatchLogsEvent>(PublicSamples.Read(file));

        var text = cwlEvent!.Awslogs!.DecodeData();

        Assert.Equal(PublicSamples.ReadText("aws-lambda-dotnet_logs-event.decoded.json").Trim(), text.Trim());
    }

    [Theory]
    [InlineData("aws-lambda-dotnet_logs-event.json")]
    [InlineData("aws-lambda-go_cloudwatch-logs-event.json")]
    public void DecodeEvent_PublicSamples_GivesThePayload(string file)
    {
        using var payload = CloudWatchLogsDecoder.DecodeEvent(PublicSamples.Read(file), 1024 * 1024);

        Assert.Equal(PublicSamples.ReadText("aws-lambda-dotnet_logs-event.decoded.json").Trim(), Encoding.UTF8.GetString(payload.Json.Span).Trim());
    }

    [Fact]
    public void Decompress_PowertoolsZlibSample_SaysItIsNotGzip()
    {
        // The Powertools sample is zlib, not the gzip CloudWatch Logs sends.
        var data = JsonNode.Parse(PublicSamples.ReadText("powertools-python_cloudWatchLogEventWithPolicyLevel.json"))!["awslogs"]!["data"]!.GetValue<string>();

        var error = Assert.Throws<CloudWatchLogsDecodeException>(() => CloudWatchLogsDecoder.Decompress(data, 1024 * 1024));

        Assert.Contains("not gzip", error.Message, StringComparison.Ordinal);
    }
}
