using Amazon.CDK;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Shared.Contract.Settings;
using LogsLambdaDestination = Amazon.CDK.AWS.Logs.Destinations.LambdaDestination;

namespace Infra.Constructs;

/// <summary>
/// ControlPlaneLogsFunction subscribed to the cluster's control-plane log group. CloudWatch Logs invokes
/// it asynchronously: Lambda retries a failed delivery twice and then sends an invocation record holding it
/// to an SQS failure queue. The same function consumes that queue through an event source mapping, so a
/// delivery caught by an outage of the domain is indexed by itself once the domain is back: while the
/// domain is down the function holds it by re-queuing the record with a delay (docs/reliability.md). Only a
/// delivery that can never be indexed (undecodable, refused even in its plain form), or one failing longer
/// than the hold window, is failed five times and lands in the failure queue's own dead-letter queue.
/// </summary>
public sealed class ControlPlaneLogs : Construct
{
    /// <summary>Asynchronous retries before a failed delivery goes to the failure queue.</summary>
    public const int RetryAttempts = 2;

    /// <summary>Receives of a failure-queue record before it moves to the dead-letter queue.</summary>
    public const int MaxReceiveCount = 5;

    /// <summary>
    /// Records per invocation from the failure queue: each holds a delivery of up to about 1 MiB, and a
    /// synchronous invocation carries at most 6 MB.
    /// </summary>
    public const int FailureQueueBatchSize = 5;

    /// <summary>Creates the function, its failure queue with its mapping and dead-letter queue, and the subscription filter.</summary>
    public ControlPlaneLogs(Construct scope, string id, ControlPlaneLogsProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        LogGroupName = $"/aws/eks/{settings.ClusterName}/cluster";
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(14),
        });
        FailureQueue = new Queue(this, "FailedInvocations", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            // 14 days, SQS's maximum, is longer than any hold window (at most 13 days) plus the delays.
            RetentionPeriod = Duration.Days(14),
            // Lambda requires at least the function timeout; six times it, as for the events queue, keeps a record
            // from reaching a second invocation while throttled retries of the first are under way.
            VisibilityTimeout = Duration.Seconds(6 * settings.ControlPlaneTimeoutSeconds),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = MaxReceiveCount },
        });
        // A failed invocation record holds the whole CloudWatch Logs event (up to 1 MiB of compressed lines).
        ((CfnQueue)FailureQueue.Node.DefaultChild!).MaximumMessageSize = 1024 * 1024;
        ((CfnQueue)DeadLetterQueue.Node.DefaultChild!).MaximumMessageSize = 1024 * 1024;
        SecureTransport.Require(FailureQueue);
        SecureTransport.Require(DeadLetterQueue);

        Function = new NativeFunction(this, "ControlPlaneLogsFunction", new NativeFunctionProps
        {
            ProjectName = "ControlPlaneLogsFunction",
            Description = "Indexes EKS control-plane log lines from CloudWatch Logs into OpenSearch.",
            Code = props.Code,
            Architecture = settings.Architecture.Lambda,
            TimeoutSeconds = settings.ControlPlaneTimeoutSeconds,
            MemoryMb = settings.ControlPlaneMemoryMb,
            Parameters = props.Parameters,
            Access = settings,
            LogRetentionDays = settings.LogRetentionDays,
            RetryAttempts = RetryAttempts,
            // The destination grants the function sqs:SendMessage on this queue, which is also what holding a
            // record through an outage needs.
            OnFailure = new SqsDestination(FailureQueue),
            Environment = new Dictionary<string, string>
            {
                [EnvironmentVariableNames.SsmParameterPrefix] = props.Parameters.Prefix,
                [EnvironmentVariableNames.ClusterName] = settings.ClusterName,
                [EnvironmentVariableNames.ControlPlaneIndex] = settings.ControlPlaneIndex,
                [EnvironmentVariableNames.BulkMaxBytes] = settings.BulkMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [EnvironmentVariableNames.CredentialsTtlSeconds] = settings.CredentialsTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [EnvironmentVariableNames.OutageHoldHours] = settings.OutageHoldHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [EnvironmentVariableNames.SourceQueueUrl] = FailureQueue.QueueUrl,
            },
        });
        Function.Function.AddEventSource(new SqsEventSource(FailureQueue, new SqsEventSourceProps
        {
            BatchSize = FailureQueueBatchSize,
            MaxConcurrency = 2,
            ReportBatchItemFailures = true,
        }));

        // The group exists once any control-plane log type is enabled on the cluster (docs/deploy.md).
        // LambdaDestination grants logs.amazonaws.com the invoke permission for this group's ARN only.
        var clusterLogs = LogGroup.FromLogGroupName(this, "ClusterLogGroup", LogGroupName);
        _ = new SubscriptionFilter(this, "Subscription", new SubscriptionFilterProps
        {
            LogGroup = clusterLogs,
            Destination = new LogsLambdaDestination(Function.Function),
            FilterPattern = FilterPattern.AllEvents(),
        });
    }

    /// <summary>The cluster's control-plane log group.</summary>
    public string LogGroupName { get; }

    /// <summary>The function.</summary>
    public NativeFunction Function { get; }

    /// <summary>The on-failure destination of asynchronous invocations, consumed by the function itself.</summary>
    public Queue FailureQueue { get; }

    /// <summary>Where failure-queue records go after <see cref="MaxReceiveCount"/> failed receives: deliveries that need a human.</summary>
    public Queue DeadLetterQueue { get; }
}
