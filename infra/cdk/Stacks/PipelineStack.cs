using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;
using Infra.Constructs;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Stacks;

/// <summary>
/// The whole pipeline for one cluster, in the order an event travels: parameters, queue, indexer,
/// control-plane function, alarms, dashboard, collector. Each step is a construct that owns its details.
/// </summary>
public sealed class PipelineStack : Stack
{
    /// <summary>Composes the pipeline.</summary>
    public PipelineStack(Construct scope, string id, PipelineStackProps props)
        : base(scope, id, props)
    {
        var settings = props.Settings;
        var parameters = new OpenSearchParameters(this, "OpenSearch", new OpenSearchParametersProps
        {
            Prefix = settings.SsmParameterPrefix,
            Endpoint = settings.OpenSearchEndpoint,
        });
        var queue = new EventQueue(this, "Events", new EventQueueProps
        {
            QueueName = QueueName(settings.ClusterName),
            VisibilityTimeoutSeconds = settings.QueueVisibilityTimeoutSeconds,
            RetentionHours = settings.EventsQueueRetentionHours,
        });
        var indexer = new Indexer(this, "Indexer", new IndexerProps
        {
            Settings = settings,
            Queue = queue,
            Parameters = parameters,
            Code = FunctionCode.For(this, "IndexerFunction", settings),
        });
        var controlPlane = new ControlPlaneLogs(this, "ControlPlane", new ControlPlaneLogsProps
        {
            Settings = settings,
            Parameters = parameters,
            Code = FunctionCode.For(this, "ControlPlaneLogsFunction", settings),
        });
        // A fixed name, so that `OpenSearchSetup verify` finds the queue a human must look at for control-plane deliveries.
        ((CfnQueue)controlPlane.DeadLetterQueue.Node.DefaultChild!).QueueName = ControlPlaneDeadLetterQueueName(settings.ClusterName);
        var setup = CreateDeploySetup(settings, parameters, indexer, controlPlane);
        var alarms = new PipelineAlarms(this, "Alarms", new PipelineAlarmsProps
        {
            Settings = settings,
            Queue = queue,
            Indexer = indexer,
            ControlPlaneLogs = controlPlane,
        });
        _ = new OutageAlarms(this, "OutageAlarms", new OutageAlarmsProps
        {
            Topic = alarms.Topic,
            ControlPlaneLogs = controlPlane,
        });
        _ = new PipelineDashboard(this, "Dashboard", new PipelineDashboardProps
        {
            Name = $"{id}-{settings.ClusterName}",
            ClusterName = settings.ClusterName,
            Queue = queue,
            Indexer = indexer,
            ControlPlaneLogs = controlPlane,
        });
        var collector = new CollectorDeployment(this, "Collector", new CollectorDeploymentProps
        {
            Settings = settings,
            Queue = queue,
            ManifestTemplate = ReadManifestTemplate(settings),
        });

        Aspects.Of(this).Add(new SupportedRuntimes());

        Output("QueueUrl", queue.Queue.QueueUrl, "The collector's QUEUE_URL.");
        Output("ParameterPrefix", settings.SsmParameterPrefix, "Set <prefix>/user and <prefix>/password as SecureStrings (docs/deploy.md).");
        Output("AlarmTopicArn", alarms.Topic.TopicArn, "Subscribe here to the pipeline's alarms.");
        Output("CollectorRoleArn", collector.Role.RoleArn, "The role the collector's service account uses.");
        if (setup?.OpenSearchSetup is { } installed)
        {
            Output("OpenSearchSetup", Fn.Join(": ", [installed.GetAttString("Status"), installed.GetAttString("Message")]), "What the deploy installed in OpenSearch (DONE, WARNING, or NOT_DONE with the reason and the command to run).");
        }

        if (setup?.ClusterLogging is { } logging)
        {
            Output("ControlPlaneLogging", Fn.Join(": ", [logging.GetAttString("Status"), logging.GetAttString("Message")]), "Whether the five control-plane log types are on.");
        }

        if (FunctionNetwork.Of(this)?.CreatedSecurityGroupId is { } group)
        {
            Output("FunctionsSecurityGroupId", group, "Allow HTTPS (443) from this group in the OpenSearch domain's security group.");
        }
    }

    /// <summary>
    /// The name of the queue holding the control-plane deliveries that need a human: fixed like the events queue's, so
    /// that `verify` finds it. The cluster part is cut so the whole fits SQS's 80 characters.
    /// </summary>
    public static string ControlPlaneDeadLetterQueueName(string clusterName)
    {
        const string Suffix = "-eks-history-control-plane-dlq";
        return (clusterName.Length <= 80 - Suffix.Length ? clusterName : clusterName[..(80 - Suffix.Length)]) + Suffix;
    }

    private DeploySetup? CreateDeploySetup(PipelineSettings settings, OpenSearchParameters parameters, Indexer indexer, ControlPlaneLogs controlPlane)
    {
        DeploySetup? setup = null;
        if (settings.OpenSearchSetup || settings.EnableControlPlaneLogs || settings.Serverless)
        {
            setup = new DeploySetup(this, "Setup", new DeploySetupProps
            {
                Settings = settings,
                Parameters = parameters,
                Code = FunctionCode.For(this, "SetupFunction", settings),
                AssetsHash = SetupAssetsFingerprint.Of(RepositoryLayout.Root),
            });
        }

        if (setup?.ClusterLogging is { } logging)
        {
            // The subscription filter needs the log group, which the logging resource makes sure of.
            controlPlane.Node.AddDependency(logging);
        }

        if (settings.Serverless)
        {
            var access = new ServerlessAccess(this, "ServerlessAccess", new ServerlessAccessProps
            {
                Settings = settings,
                IndexerRole = indexer.Function.Function.Role!,
                ControlPlaneRole = controlPlane.Function.Function.Role!,
                SetupRole = setup?.OpenSearchRole,
            });
            setup?.OpenSearchSetup?.Node.AddDependency(access);
        }

        return setup;
    }

    /// <summary>The events queue's name: fixed, so the collector manifest can carry its URL before it exists.</summary>
    public static string QueueName(string clusterName)
    {
        var name = $"{clusterName}-eks-history-events";
        // 80 characters at most, and the DLQ adds "-dlq".
        return name.Length <= 76 ? name : name[..76];
    }

    private static string ReadManifestTemplate(PipelineSettings settings)
    {
        var path = settings.CollectorManifestTemplate ?? RepositoryLayout.Path("deploy/collector/collector.yaml");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw CdkContextSource.Fault(PipelineSettings.Keys.CollectorManifestTemplate, $"the collector manifest template {path} does not exist.");
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
