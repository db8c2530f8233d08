using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.Destinations;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Constructs;
using LogsLambdaDestination = Amazon.CDK.AWS.Logs.Destinations.LambdaDestination;

namespace Infra.Constructs;

/// <summary>
/// ControlPlaneLogsFunction subscribed to the cluster's control-plane log group. CloudWatch Logs invokes
/// it asynchronously, so Lambda's async retries (2) and an on-failure destination (an SQS queue kept 14
/// days) are what make sure no batch of log lines is lost when the domain is down.
/// </summary>
public sealed class ControlPlaneLogs : Construct
{
    /// <summary>Asynchronous retries before a failed batch goes to the DLQ.</summary>
    public const int RetryAttempts = 2;

    /// <summary>Creates the function, its failure queue and the subscription filter.</summary>
    public ControlPlaneLogs(Construct scope, string id, ControlPlaneLogsProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        LogGroupName = $"/aws/eks/{settings.ClusterName}/cluster";
        DeadLetterQueue = new Queue(this, "FailedInvocations", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(14),
        });
        // A failed invocation record holds the whole CloudWatch Logs event (up to 1 MiB of compressed lines).
        ((CfnQueue)DeadLetterQueue.Node.DefaultChild!).MaximumMessageSize = 1024 * 1024;
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
            OnFailure = new SqsDestination(DeadLetterQueue),
            Environment = new Dictionary<string, string>
            {
                ["SSM_PARAMETER_PREFIX"] = props.Parameters.Prefix,
                ["CLUSTER_NAME"] = settings.ClusterName,
                ["CONTROL_PLANE_INDEX"] = settings.ControlPlaneIndex,
                ["BULK_MAX_BYTES"] = settings.BulkMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CREDENTIALS_TTL_SECONDS"] = settings.CredentialsTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        });

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

    /// <summary>The on-failure destination of asynchronous invocations.</summary>
    public Queue DeadLetterQueue { get; }
}
