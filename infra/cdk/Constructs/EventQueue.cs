using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// The queue between the collector and the indexer, with its dead-letter queue. The indexer holds messages
/// through an outage of the domain by re-queuing them (docs/reliability.md), so only poison, or work that
/// failed longer than the hold window, is failed five times and moves to the DLQ, where it stays 14 days
/// (SQS's maximum) to be looked at and redriven.
/// </summary>
public sealed class EventQueue : Construct
{
    /// <summary>The receive count after which a message is moved to the DLQ.</summary>
    public const int MaxReceiveCount = 5;

    /// <summary>Creates the queue and its DLQ.</summary>
    public EventQueue(Construct scope, string id, EventQueueProps props)
        : base(scope, id)
    {
        Name = props.QueueName;
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            QueueName = $"{props.QueueName}-dlq",
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(14),
        });
        Queue = new Queue(this, "Queue", new QueueProps
        {
            QueueName = props.QueueName,
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Hours(props.RetentionHours),
            VisibilityTimeout = Duration.Seconds(props.VisibilityTimeoutSeconds),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = MaxReceiveCount },
        });
        // SQS takes messages up to 1 MiB; this CDK version still validates the older 256 KiB limit, so
        // the size is set on the CloudFormation resource directly. The collector packs 64 KiB by default.
        var cfn = (CfnQueue)Queue.Node.DefaultChild!;
        cfn.MaximumMessageSize = 1024 * 1024;
        ((CfnQueue)DeadLetterQueue.Node.DefaultChild!).MaximumMessageSize = 1024 * 1024;
        SecureTransport.Require(Queue);
        SecureTransport.Require(DeadLetterQueue);
    }

    /// <summary>The events queue's name, known at synth (the queue's own attribute is a deploy-time token).</summary>
    public string Name { get; }

    /// <summary>The events queue.</summary>
    public Queue Queue { get; }

    /// <summary>Where messages go after <see cref="MaxReceiveCount"/> failed receives.</summary>
    public Queue DeadLetterQueue { get; }
}
