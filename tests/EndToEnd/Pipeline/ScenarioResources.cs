using System.Globalization;
using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using TestSupport.Moto;
using TestSupport.OpenSearch;

namespace EndToEnd.Tests.Pipeline;

/// <summary>
/// The AWS resources a scenario makes on moto as the stack deploys them (a queue with its dead-letter queue and
/// redrive policy, the domain's SSM parameters), and the two ways the scenarios look at a queue.
/// </summary>
internal static class ScenarioResources
{
    /// <summary>The deployed maxReceiveCount of every queue with a dead-letter queue.</summary>
    public const int MaxReceiveCount = 5;

    /// <summary>A queue named <paramref name="name"/> plus a unique suffix, with its DLQ after <see cref="MaxReceiveCount"/> receives.</summary>
    public static async Task<(string Url, string Arn, string DlqUrl)> CreateQueueWithDlqAsync(IAmazonSQS sqs, string name, TimeSpan visibility)
    {
        name += "-" + Guid.NewGuid().ToString("N")[..8];
        var dlq = await sqs.CreateQueueAsync(name + "-dlq");
        var dlqArn = (await sqs.GetQueueAttributesAsync(dlq.QueueUrl, ["QueueArn"])).QueueARN;
        var queue = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = ((int)Math.Ceiling(visibility.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                ["MaximumMessageSize"] = "1048576",
                ["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, string> { ["deadLetterTargetArn"] = dlqArn, ["maxReceiveCount"] = MaxReceiveCount.ToString(CultureInfo.InvariantCulture) }),
            },
        });
        return (queue.QueueUrl, (await sqs.GetQueueAttributesAsync(queue.QueueUrl, ["QueueArn"])).QueueARN, dlq.QueueUrl);
    }

    /// <summary>The domain's host, user and password under a fresh <c>/e2e/&lt;id&gt;/opensearch</c> prefix, which is returned.</summary>
    public static async Task<string> PutOpenSearchParametersAsync(MotoFixture moto, OpenSearchDouble domain)
    {
        var prefix = "/e2e/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        using var ssm = moto.CreateSsmClient();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = domain.Endpoint.ToString(), Type = ParameterType.String });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/user", Value = domain.User, Type = ParameterType.SecureString });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = domain.Password, Type = ParameterType.SecureString });
        return prefix;
    }

    /// <summary>Messages in the queue: visible, in flight and delayed.</summary>
    public static async Task<int> CountAsync(IAmazonSQS sqs, string queueUrl)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible + attributes.ApproximateNumberOfMessagesDelayed;
    }

    /// <summary>Receives and deletes every visible message; their bodies.</summary>
    public static async Task<List<string>> DrainAsync(IAmazonSQS sqs, string queueUrl)
    {
        var bodies = new List<string>();
        while (true)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return bodies;
            }

            foreach (var message in messages)
            {
                bodies.Add(message.Body);
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
    }
}
