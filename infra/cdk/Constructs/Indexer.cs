using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda.EventSources;
using Constructs;
using Shared.Contract.Settings;

namespace Infra.Constructs;

/// <summary>
/// IndexerFunction and its SQS event source mapping. The mapping reports batch item failures, so only
/// the messages the function lists are retried; its batch size and window are chosen so one
/// invocation's bulk body stays under BULK_MAX_BYTES with packed messages; its maximum concurrency is
/// the cap on parallel bulk requests the OpenSearch domain sees from us. The function may send to its
/// own queue: that is how it holds messages through an outage of the domain.
/// </summary>
public sealed class Indexer : Construct
{
    /// <summary>Creates the function and the mapping.</summary>
    public Indexer(Construct scope, string id, IndexerProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        Function = new NativeFunction(this, "IndexerFunction", new NativeFunctionProps
        {
            ProjectName = "IndexerFunction",
            Description = "Indexes Kubernetes events from the queue into OpenSearch.",
            Code = props.Code,
            Architecture = settings.Architecture.Lambda,
            TimeoutSeconds = settings.IndexerTimeoutSeconds,
            MemoryMb = settings.IndexerMemoryMb,
            Parameters = props.Parameters,
            Access = settings,
            LogRetentionDays = settings.LogRetentionDays,
            Environment = new Dictionary<string, string>
            {
                [EnvironmentVariableNames.SsmParameterPrefix] = props.Parameters.Prefix,
                [EnvironmentVariableNames.ClusterName] = settings.ClusterName,
                [EnvironmentVariableNames.EventsIndex] = settings.EventsIndex,
                [EnvironmentVariableNames.BulkMaxBytes] = settings.BulkMaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [EnvironmentVariableNames.CredentialsTtlSeconds] = settings.CredentialsTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [EnvironmentVariableNames.OutageHoldHours] = settings.OutageHoldHours.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [EnvironmentVariableNames.SourceQueueUrl] = props.Queue.Queue.QueueUrl,
            },
        });
        if (settings.WarningReasons is { } reasons)
        {
            Function.Function.AddEnvironment(EnvironmentVariableNames.WarningMetricReasons, string.Join(",", reasons));
        }

        // Holding a message through an outage is sending a delayed copy of it back to this queue: the one right the
        // indexer needs beyond consuming it, on this queue only.
        Function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "RequeueHeldMessages",
            Actions = ["sqs:SendMessage"],
            Resources = [props.Queue.Queue.QueueArn],
        }));

        Function.Function.AddEventSource(new SqsEventSource(props.Queue.Queue, new SqsEventSourceProps
        {
            BatchSize = settings.IndexerBatchSize,
            MaxBatchingWindow = Duration.Seconds(settings.IndexerMaxBatchingWindowSeconds),
            MaxConcurrency = settings.IndexerMaxConcurrency,
            ReportBatchItemFailures = true,
        }));
    }

    /// <summary>The function.</summary>
    public NativeFunction Function { get; }
}
