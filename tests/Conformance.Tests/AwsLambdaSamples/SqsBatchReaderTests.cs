using System.Text;
using IndexerFunction.Messages;

namespace Conformance.Tests.AwsLambdaSamples;

/// <summary>The indexer's own SQS event reader on the sample events of AWS's Lambda libraries and of Powertools.</summary>
public sealed class SqsBatchReaderTests
{
    [Theory]
    [InlineData("aws-lambda-dotnet_sqs-event.json", "MessageID", "Message Body")]
    [InlineData("aws-lambda-go_sqs-event.json", "MessageID_1", "Message Body")]
    [InlineData("powertools-python_sqsEvent.json", "059f36b4-87a3-44ab-83d2-661975830a7d", "Test message.")]
    public void Read_PublicSamples_ReadsIdsAndBodies(string file, string firstId, string firstBody)
    {
        var records = new SqsBatchReader().Read(PublicSamples.Read(file));

        Assert.Equal(firstId, records[0].MessageId);
        Assert.Equal(firstBody, Encoding.UTF8.GetString(records[0].Body.Span));
    }
}
