namespace Shared.Contract.Tests.Architecture;

public sealed class RepeatedNameRuleTests
{
    [Theory]
    [InlineData("P:Shared.Contract.Queue.SqsQueueArn.QueueName", "The queue name.")]
    [InlineData("P:Shared.Contract.Queue.SqsQueueArn.QueueName", "Gets the queue name")]
    [InlineData("P:Shared.Contract.ObjectReference.Name", "The name.")]
    [InlineData("M:Shared.Contract.Settings.ConfigurationException.#ctor(System.String)", "Creates the exception.")]
    [InlineData("M:Shared.OpenSearch.OpenSearchBulkWriter.#ctor(System.Net.Http.HttpClient,System.TimeProvider)", "Creates the writer.")]
    [InlineData("M:Shared.OpenSearch.OpenSearchBulkWriter.#ctor", "Initializes a new instance of the <see cref=\"T:Shared.OpenSearch.OpenSearchBulkWriter\"/> class.")]
    [InlineData("P:Functions.Runtime.Events.Sqs.SQSEvent.SQSMessage.Body", "The body.")]
    [InlineData("P:Functions.Runtime.Events.Sqs.SQSEvent.SQSMessage.ReceiptHandle", "The receipt handle.")]
    [InlineData("P:Shared.OpenSearch.BulkRequestBody.Memory", "The body.")]
    [InlineData("P:Shared.Aws.SigV4Signature.StringToSign", "The string to sign.")]
    [InlineData("P:Shared.Aws.SigV4Request.AccessKeyId", "The access key IDs.")]
    [InlineData("T:Shared.Contract.Settings.ProcessEnvironmentVariables", "The process environment.")]
    [InlineData("P:Functions.Runtime.ILambdaContext.FunctionName", "The function's name.")]
    [InlineData("F:Functions.Runtime.Redelivery.HoldPolicy.DefaultHoldWindow", "Default <see cref=\"P:Functions.Runtime.Redelivery.HoldPolicy.HoldWindow\"/>.")]
    [InlineData("M:Shared.Contract.Settings.ProcessEnvironmentVariables.Get(System.String)", "")]
    public void IsRepetition_SummaryOnlyRepeatsNames_IsTrue(string memberId, string summary)
    {
        Assert.True(RepeatedNameRule.IsRepetition(memberId, summary), $"\"{summary}\" on {memberId} should count as repeating the name.");
    }

    [Theory]
    [InlineData("P:Shared.Contract.Queue.SqsQueueArn.QueueName", "The queue's name, the last part of the ARN: eks-events in arn:aws:sqs:eu-west-1:123456789012:eks-events.")]
    [InlineData("M:Shared.Contract.Settings.ConfigurationException.#ctor(System.String)", "Creates the exception for a setting that is missing, with <paramref name=\"message\"/> naming it.")]
    [InlineData("P:Functions.Runtime.Events.Sqs.SQSEvent.SQSMessage.Body", "The message text as the sender sent it, not decoded.")]
    [InlineData("P:Shared.Contract.Settings.ProcessEnvironmentVariables.Instance", "The one instance.")]
    [InlineData("F:Functions.Runtime.Redelivery.HoldPolicy.DefaultHoldWindow", "How long, 15 minutes, messages are held back after an outage is seen.")]
    public void IsRepetition_SummaryAddsFacts_IsFalse(string memberId, string summary)
    {
        Assert.False(RepeatedNameRule.IsRepetition(memberId, summary), $"\"{summary}\" on {memberId} says more than the name.");
    }

    [Fact]
    public void NameWords_NestedTypeMember_SplitsEveryHolderIntoWords()
    {
        var words = RepeatedNameRule.NameWords("P:Functions.Runtime.Events.Sqs.SQSEvent.SQSMessage.ReceiptHandle");

        string[] expected = ["sqs", "event", "message", "receipt", "handle"];
        Assert.True(words.SetEquals(expected), "got " + string.Join(" ", words));
    }
}
