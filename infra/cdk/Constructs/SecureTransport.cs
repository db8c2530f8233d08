using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SQS;

namespace Infra.Constructs;

/// <summary>
/// Refuses any use of a queue over plain HTTP. CDK's <c>EnforceSSL</c> does the same with <c>sqs:*</c>;
/// the actions are listed here instead so that no policy in the stack names a wildcard action (batch
/// calls are authorised by the same actions).
/// </summary>
public static class SecureTransport
{
    /// <summary>Every SQS action that reads, writes or reconfigures a queue.</summary>
    public static readonly string[] QueueActions =
    [
        "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
        "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SetQueueAttributes", "sqs:PurgeQueue",
        "sqs:DeleteQueue", "sqs:ListDeadLetterSourceQueues", "sqs:ListQueueTags", "sqs:TagQueue", "sqs:UntagQueue",
        "sqs:StartMessageMoveTask", "sqs:CancelMessageMoveTask", "sqs:ListMessageMoveTasks",
    ];

    /// <summary>Adds the deny statement to the queue's resource policy.</summary>
    public static void Require(IQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        queue.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DenyInsecureTransport",
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = QueueActions,
            Resources = [queue.QueueArn],
            Conditions = new Dictionary<string, object>
            {
                ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
            },
        }));
    }
}
