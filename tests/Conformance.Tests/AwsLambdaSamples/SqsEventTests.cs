using System.Text.Json;
using Functions.Runtime.Events.Sqs;

namespace Conformance.Tests.AwsLambdaSamples;

/// <summary>Our SQS event types on the sample events of AWS's Lambda libraries (.NET, Go) and of Powertools.</summary>
public sealed class SqsEventTests
{
    [Theory]
    [InlineData("aws-lambda-dotnet_sqs-event.json", 1)]
    [InlineData("aws-lambda-go_sqs-event.json", 1)]
    [InlineData("powertools-python_sqsEvent.json", 2)]
    public void Deserialize_PublicSamples_ReadsRecordsAndRoundTrips(string file, int records)
    {
        var json = PublicSamples.Read(file);

        var evt = JsonSerializer.Deserialize<SQSEvent>(json)!;
        var again = JsonSerializer.Deserialize<SQSEvent>(JsonSerializer.SerializeToUtf8Bytes(evt))!;

        Assert.Equal(records, evt.Records.Count);
        Assert.All(evt.Records, r => Assert.False(string.IsNullOrEmpty(r.MessageId)));
        Assert.Equal(evt.Records.Select(r => (r.MessageId, r.Body, r.EventSourceArn)), again.Records.Select(r => (r.MessageId, r.Body, r.EventSourceArn)));
        Assert.Equal("aws:sqs", evt.Records[0].EventSource);
    }

    [Fact]
    public void Deserialize_StringAttribute_IsReadable()
    {
        var evt = JsonSerializer.Deserialize<SQSEvent>(PublicSamples.Read("aws-lambda-go_sqs-event.json"))!;

        var attribute = evt.Records[0].MessageAttributes!["Attribute1"];
        Assert.Equal("String", attribute.DataType);
        Assert.Equal("AttributeValue1", attribute.StringValue);
    }

    [Fact]
    public void Serialize_BatchResponse_MatchesThePublicSampleShape()
    {
        var expected = JsonSerializer.Deserialize<SQSBatchResponse>(PublicSamples.Read("aws-lambda-dotnet_sqs-response.json"))!;

        var json = JsonSerializer.Serialize(expected);

        Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"MessageID_1\"},{\"itemIdentifier\":\"MessageID_2\"}]}", json);
    }
}
