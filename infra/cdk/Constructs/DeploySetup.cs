using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Shared.Contract.Settings;
using EventsLambdaFunction = Amazon.CDK.AWS.Events.Targets.LambdaFunction;

namespace Infra.Constructs;

/// <summary>
/// What the deploy does beyond creating resources, so that `cdk deploy` plus the two SecureStrings is the whole
/// day: SetupFunction (src/SetupFunction) backs two custom resources and, on OpenSearch Serverless, a daily schedule.
/// <list type="bullet">
/// <item><c>Custom::OpenSearchSetup</c> (openSearchSetup, on by default) installs the index templates, retention and
/// dashboards with the same code as tools/OpenSearchSetup, again whenever their files, the index prefixes or the
/// retention change (its properties). It never fails the deploy: a domain not reachable yet or a password not yet in
/// SSM ends as <c>NOT_DONE</c> in the stack output <c>OpenSearchSetup</c>, with the command to run later, and the
/// functions install their index template before their first write anyway.</item>
/// <item><c>Custom::ClusterLogging</c> (enableControlPlaneLogs) creates <c>/aws/eks/&lt;cluster&gt;/cluster</c> if needed and
/// turns on the five control-plane log types; the subscription filter waits for it.</item>
/// <item>On Serverless, an EventBridge schedule deletes expired daily indices every day at 03:15 UTC (no ISM there).</item>
/// </list>
/// With vpcSubnetIds the OpenSearch work runs in a twin of the function inside the VPC (SetupWorker), invoked by the
/// one outside, which answers CloudFormation: the pre-signed response URL is in S3, which private subnets may not
/// reach, and the deploy must finish either way.
/// </summary>
public sealed class DeploySetup : Construct
{
    /// <summary>The custom resource type of the OpenSearch setup (SetupFunction's ResourceTypes).</summary>
    public const string OpenSearchSetupType = "Custom::OpenSearchSetup";

    /// <summary>The custom resource type of the cluster's logging (SetupFunction's ResourceTypes).</summary>
    public const string ClusterLoggingType = "Custom::ClusterLogging";

    /// <summary>The five control-plane log types (EKS's names).</summary>
    public static readonly string[] LogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    /// <summary>The function's timeout: the setup's budget plus the time to answer CloudFormation.</summary>
    public const int TimeoutSeconds = 300;

    /// <summary>The VPC twin's timeout: shorter, so the function outside hears from it before its own end.</summary>
    public const int WorkerTimeoutSeconds = 240;

    /// <summary>How long CloudFormation waits for an answer (the custom resource's ServiceTimeout) instead of an hour.</summary>
    public const int ServiceTimeoutSeconds = 900;

    /// <summary>Creates the function(s), the custom resources and the schedule the settings ask for.</summary>
    public DeploySetup(Construct scope, string id, DeploySetupProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        var stack = Stack.Of(this);
        var inVpc = settings.Vpc is not null;
        var environment = new Dictionary<string, string>();
        if (inVpc)
        {
            Worker = new NativeFunction(this, "SetupWorker", new NativeFunctionProps
            {
                ProjectName = "SetupFunction",
                LogicalId = "SetupWorker",
                Description = "Installs index templates, retention and dashboards in the VPC domain for the stack's SetupFunction.",
                Code = props.Code,
                Architecture = settings.Architecture.Lambda,
                TimeoutSeconds = WorkerTimeoutSeconds,
                MemoryMb = 256,
                Parameters = props.Parameters,
                Access = settings,
                LogRetentionDays = settings.LogRetentionDays,
                Environment = new Dictionary<string, string>(),
            });
            environment[EnvironmentVariableNames.SetupDelegateFunction] = Worker.Function.FunctionName;
        }

        Function = new NativeFunction(this, "SetupFunction", new NativeFunctionProps
        {
            ProjectName = "SetupFunction",
            Description = "The EKS history stack's custom resources: OpenSearch setup, control-plane logging, Serverless retention.",
            Code = props.Code,
            Architecture = settings.Architecture.Lambda,
            TimeoutSeconds = TimeoutSeconds,
            MemoryMb = 256,
            Parameters = props.Parameters,
            Access = settings,
            LogRetentionDays = settings.LogRetentionDays,
            // Outside the VPC it only answers CloudFormation and invokes its twin.
            OpenSearchAccess = !inVpc,
            Environment = environment,
        });
        if (Worker is not null)
        {
            Worker.Function.GrantInvoke(Function.Function);
        }

        var openSearchWork = Worker ?? Function;
        var setupProperties = new Dictionary<string, object>
        {
            ["SsmParameterPrefix"] = props.Parameters.Prefix,
            ["EventsIndex"] = settings.EventsIndex,
            ["ControlPlaneIndex"] = settings.ControlPlaneIndex,
            ["EventsRetentionDays"] = settings.EventsRetentionDays.ToString(CultureInfo.InvariantCulture),
            ["ControlPlaneRetentionDays"] = settings.ControlPlaneRetentionDays.ToString(CultureInfo.InvariantCulture),
        };

        if (settings.OpenSearchSetup)
        {
            OpenSearchSetup = Resource("OpenSearchSetup", OpenSearchSetupType, new Dictionary<string, object>(setupProperties)
            {
                ["AssetsHash"] = props.AssetsHash,
            });
            // The host parameter (when the stack owns it) must exist before the setup reads it.
            OpenSearchSetup.Node.AddDependency(props.Parameters);
            if (Worker is not null)
            {
                OpenSearchSetup.Node.AddDependency(Worker);
            }
        }

        if (settings.EnableControlPlaneLogs)
        {
            var logGroupName = $"/aws/eks/{settings.ClusterName}/cluster";
            Function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "TurnOnControlPlaneLogs",
                Actions = ["eks:DescribeCluster", "eks:UpdateClusterConfig"],
                Resources = [stack.FormatArn(new ArnComponents { Service = "eks", Resource = "cluster", ResourceName = settings.ClusterName })],
            }));
            Function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "CreateControlPlaneLogGroup",
                Actions = ["logs:CreateLogGroup"],
                Resources = [stack.FormatArn(new ArnComponents { Service = "logs", Resource = "log-group", ResourceName = logGroupName, ArnFormat = ArnFormat.COLON_RESOURCE_NAME })],
            }));
            ClusterLogging = Resource("ClusterLogging", ClusterLoggingType, new Dictionary<string, object>
            {
                ["ClusterName"] = settings.ClusterName,
                ["LogGroupName"] = logGroupName,
                ["LogTypes"] = LogTypes,
            });
            // The role's policy must be in place before the resource's first request.
            ClusterLogging.Node.AddDependency(Function);
        }

        if (settings.Serverless)
        {
            // Serverless has no ISM, and its data lifecycle policies apply to time-series collections only, which
            // refuse the client-chosen _id the pipeline needs: the expired daily indices are deleted here, daily.
            RetentionSchedule = new Rule(this, "RetentionSchedule", new RuleProps
            {
                Description = "EKS history: deletes daily indices older than their retention (OpenSearch Serverless has no ISM).",
                Schedule = Schedule.Cron(new CronOptions { Minute = "15", Hour = "3" }),
            });
            RetentionSchedule.AddTarget(new EventsLambdaFunction(openSearchWork.Function, new LambdaFunctionProps
            {
                Event = RuleTargetInput.FromObject(new Dictionary<string, object>
                {
                    ["command"] = "retention",
                    ["properties"] = setupProperties,
                }),
                RetryAttempts = 2,
            }));
        }

        OpenSearchRole = openSearchWork.Function.Role!;
    }

    /// <summary>The function CloudFormation calls (outside the VPC).</summary>
    public NativeFunction Function { get; }

    /// <summary>The twin inside the VPC that does the OpenSearch work, or null outside a VPC.</summary>
    public NativeFunction? Worker { get; }

    /// <summary>The role that calls OpenSearch (the twin's in a VPC): the principal of a Serverless data access policy.</summary>
    public IRole OpenSearchRole { get; }

    /// <summary>The Custom::OpenSearchSetup resource, unless openSearchSetup=false.</summary>
    public CustomResource? OpenSearchSetup { get; }

    /// <summary>The Custom::ClusterLogging resource, with enableControlPlaneLogs=true.</summary>
    public CustomResource? ClusterLogging { get; }

    /// <summary>The daily deletion of expired indices on Serverless.</summary>
    public Rule? RetentionSchedule { get; }

    private CustomResource Resource(string id, string type, Dictionary<string, object> properties)
    {
        var resource = new CustomResource(this, id, new CustomResourceProps
        {
            ServiceToken = Function.Function.FunctionArn,
            ResourceType = type,
            Properties = properties,
        });
        // CloudFormation's own default is an hour; the function answers within its timeout or fails and is retried.
        ((CfnResource)resource.Node.DefaultChild!).AddPropertyOverride("ServiceTimeout", ServiceTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        return resource;
    }
}
