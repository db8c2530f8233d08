using Amazon.CDK;
using Amazon.CDK.AWS.Ecr.Assets;
using Amazon.CDK.AWS.EKS;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Infra.Collector;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Constructs;

/// <summary>
/// Everything the in-cluster collector needs from AWS, and its manifests: a role that may only
/// <c>sqs:SendMessage</c> to the events queue, trusted by the collector's service account through EKS Pod
/// Identity (a pod identity association) or IRSA (the cluster's OIDC provider); the container image; and
/// the rendered Kubernetes objects, applied to the cluster (deployCollector=true) or written to a file for
/// <c>kubectl apply -f</c>.
/// </summary>
public sealed class CollectorDeployment : Construct
{
    /// <summary>Creates the role, the identity wiring and the manifests.</summary>
    public CollectorDeployment(Construct scope, string id, CollectorDeploymentProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        var stack = Stack.Of(this);
        RoleName = Truncate($"{settings.ClusterName}-eks-history-collector", 64);

        Role = new Role(this, "Role", new RoleProps
        {
            RoleName = RoleName,
            AssumedBy = Principal(settings),
            Description = "Lets the EKS history collector send event batches to its queue, and nothing else.",
        });
        // Only SendMessage: SendMessageBatch is authorised by the same action, and the collector learns
        // the queue URL from its configuration, so it needs neither GetQueueUrl nor GetQueueAttributes.
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SendEventsToQueue",
            Actions = ["sqs:SendMessage"],
            Resources = [props.Queue.Queue.QueueArn],
        }));

        if (settings.CollectorIdentity == CollectorIdentity.PodIdentity)
        {
            _ = new CfnPodIdentityAssociation(this, "PodIdentity", new CfnPodIdentityAssociationProps
            {
                ClusterName = settings.ClusterName,
                Namespace = settings.CollectorNamespace,
                ServiceAccount = PipelineSettings.CollectorServiceAccount,
                RoleArn = Role.RoleArn,
            });
        }

        DockerImageAsset? asset = null;
        if (settings.CollectorImage is null)
        {
            // Built and pushed by `cdk deploy` (needs a Docker engine then); synth only fingerprints it.
            asset = new DockerImageAsset(this, "Image", new DockerImageAssetProps
            {
                Directory = RepositoryLayout.Root,
                File = "src/Collector/Dockerfile",
                // One platform per asset (settings refuse collectorArchitecture=multi without collectorImage);
                // the manifests pin the pods to nodes of the same architecture.
                Platform = Platform_.Custom(settings.CollectorArchitectures.Single().DockerPlatform),
                // The build reads only the shared build files, the shared layers it references and the Collector; leaving the
                // rest out keeps the staged context (and its hash) to what the image is made of.
                Exclude =
                [
                    ".git", ".ci", "scripts", "artifacts", "bench", "dashboards", "deploy", "docs", "events", "infra", "tests", "tools",
                    "src/IndexerFunction", "src/ControlPlaneLogsFunction", "src/SetupFunction", "src/DomainSetup", "src/Functions.Runtime", "src/Shared.OpenSearch",
                    "**/bin", "**/obj", "**/node_modules", "**/cdk.out", "**/TestResults", "**/BenchmarkDotNet.Artifacts",
                ],
            });
        }

        if (settings.DeployCollector)
        {
            var values = Values(
                settings,
                queueUrl: props.Queue.Queue.QueueUrl,
                region: stack.Region,
                image: settings.CollectorImage ?? asset!.ImageUri,
                roleArn: Role.RoleArn);
            var cluster = Cluster.FromClusterAttributes(this, "Cluster", new ClusterAttributes
            {
                ClusterName = settings.ClusterName,
                KubectlRoleArn = settings.KubectlRoleArn!,
            });
            var manifest = new KubernetesManifest(this, "Manifest", new KubernetesManifestProps
            {
                Cluster = cluster,
                Manifest = CollectorManifest.ToObjects(CollectorManifest.Render(props.ManifestTemplate, values)).ToArray(),
                Overwrite = true,
            });
            manifest.Node.AddDependency(Role);
            return;
        }

        // File mode: the file is written at synth time, so every value in it must be known then. With a
        // concrete account and region (which `cdk deploy` always has) the queue URL and role ARN follow
        // from their fixed names.
        if (Token.IsUnresolved(stack.Account) || Token.IsUnresolved(stack.Region))
        {
            Annotations.Of(this).AddWarningV2(
                "eks-history:collector-manifest",
                "The collector manifests were not written: the account and region are unknown at synth. Run with AWS credentials (or CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION) set.");
            return;
        }

        var suffix = stack.Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        var partition = stack.Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : stack.Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
        var image = settings.CollectorImage
            ?? $"{stack.Account}.dkr.ecr.{stack.Region}.{suffix}/{asset!.Repository.RepositoryName}:{asset.ImageTag}";
        var rendered = CollectorManifest.Render(props.ManifestTemplate, Values(
            settings,
            queueUrl: $"https://sqs.{stack.Region}.{suffix}/{stack.Account}/{props.Queue.Name}",
            region: stack.Region,
            image: image,
            roleArn: $"arn:{partition}:iam::{stack.Account}:role/{RoleName}"));

        ManifestPath = Path.GetFullPath(settings.CollectorManifestPath
            ?? Path.Combine(Stage.Of(this)!.Outdir, $"collector.{settings.ClusterName}.yaml"));
        Directory.CreateDirectory(Path.GetDirectoryName(ManifestPath)!);
        File.WriteAllText(ManifestPath, rendered);
        Console.Error.WriteLine($"Collector manifests for cluster {settings.ClusterName} written to {ManifestPath}; after the deploy run: kubectl apply -f {ManifestPath}");
        _ = new CfnOutput(this, "ManifestFile", new CfnOutputProps
        {
            Description = "Apply with kubectl apply -f <file> after the deploy (written at synth).",
            Value = ManifestPath,
        });
    }

    /// <summary>The fixed name of the collector's role (the manifests carry its ARN before it exists).</summary>
    public string RoleName { get; }

    /// <summary>The collector's role.</summary>
    public Role Role { get; }

    /// <summary>Where the rendered manifests were written (file mode with a known account and region).</summary>
    public string? ManifestPath { get; }

    private static IPrincipal Principal(PipelineSettings settings)
    {
        if (settings.CollectorIdentity == CollectorIdentity.PodIdentity)
        {
            // The Pod Identity agent assumes the role with session tags (cluster, namespace, service account).
            return new SessionTagsPrincipal(new ServicePrincipal("pods.eks.amazonaws.com"));
        }

        var providerArn = settings.OidcProviderArn!;
        var issuer = providerArn[(providerArn.IndexOf(":oidc-provider/", StringComparison.Ordinal) + ":oidc-provider/".Length)..];
        return new FederatedPrincipal(providerArn, new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object>
            {
                [$"{issuer}:sub"] = $"system:serviceaccount:{settings.CollectorNamespace}:{PipelineSettings.CollectorServiceAccount}",
                [$"{issuer}:aud"] = "sts.amazonaws.com",
            },
        }, "sts:AssumeRoleWithWebIdentity");
    }

    private static Dictionary<string, string> Values(PipelineSettings settings, string queueUrl, string region, string image, string roleArn) => new()
    {
        ["NAMESPACE"] = settings.CollectorNamespace,
        ["QUEUE_URL"] = queueUrl,
        ["CLUSTER_NAME"] = settings.ClusterName,
        ["AWS_REGION"] = region,
        ["IMAGE"] = image,
        // With Pod Identity the service account must not carry the IRSA annotation's role: the SDK would
        // try web identity first and fail, so the value is left empty.
        ["ROLE_ARN"] = settings.CollectorIdentity == CollectorIdentity.Irsa ? roleArn : string.Empty,
        // A pod scheduled on a node of another architecture than its image would crash with "exec format error".
        ["NODE_ARCHITECTURES"] = string.Join(", ", settings.CollectorArchitectures.Select(a => a.KubernetesName)),
    };

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
