using System.Text.RegularExpressions;
using TestSupport;
using YamlDotNet.RepresentationModel;

namespace Collector.Tests.Deploy;

/// <summary>The security properties of deploy/collector/collector.yaml, which the infra app applies as-is.</summary>
public sealed partial class ManifestTests
{
    private static readonly string Template = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "collector", "collector.yaml"));

    private static readonly IReadOnlyList<YamlMappingNode> Documents = Load();

    private static IReadOnlyList<YamlMappingNode> Load()
    {
        // Fill the placeholders the way the CDK app does (plain text), then parse.
        var rendered = Template
            .Replace("${NAMESPACE}", "eks-history", StringComparison.Ordinal)
            .Replace("${QUEUE_URL}", "https://sqs.us-east-1.amazonaws.com/123456789012/events", StringComparison.Ordinal)
            .Replace("${CLUSTER_NAME}", "prod", StringComparison.Ordinal)
            .Replace("${AWS_REGION}", "us-east-1", StringComparison.Ordinal)
            .Replace("${IMAGE}", "123456789012.dkr.ecr.us-east-1.amazonaws.com/collector:1", StringComparison.Ordinal)
            .Replace("${NODE_ARCHITECTURES}", "amd64", StringComparison.Ordinal)
            .Replace("${ROLE_ARN}", "", StringComparison.Ordinal);
        if (PlaceholderPattern().Match(rendered) is { Success: true } left)
        {
            // A placeholder added to the manifest must be filled here too, or the YAML below means something else.
            throw new InvalidOperationException($"collector.yaml has a placeholder this test does not fill: {left.Value}");
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode Kind(string kind) => Assert.Single(Documents, d => Scalar(d, "kind") == kind);

    private static string? Scalar(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }

    private static YamlNode Node(YamlNode node, params string[] path) =>
        path.Aggregate(node, (current, key) => ((YamlMappingNode)current).Children[new YamlScalarNode(key)]);

    private static List<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    [Fact]
    public void Template_Placeholders_AreExactlyTheOnesTheInfraAppFills()
    {
        var used = PlaceholderPattern().Matches(Template).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(new HashSet<string> { "NAMESPACE", "QUEUE_URL", "CLUSTER_NAME", "AWS_REGION", "IMAGE", "ROLE_ARN", "NODE_ARCHITECTURES" }, used);
    }

    [Fact]
    public void ClusterRole_GrantsOnlyReadingCoreEvents()
    {
        var rule = Assert.Single(((YamlSequenceNode)Node(Kind("ClusterRole"), "rules")).Children);

        Assert.Equal([""], Strings(Node(rule, "apiGroups")));
        Assert.Equal(["events"], Strings(Node(rule, "resources")));
        Assert.Equal(["get", "list", "watch"], Strings(Node(rule, "verbs")).Order());
    }

    [Fact]
    public void Role_TouchesOnlyLeasesInTheCollectorsNamespace()
    {
        var role = Kind("Role");
        var rules = ((YamlSequenceNode)Node(role, "rules")).Children;

        Assert.Equal("eks-history", Scalar(role, "metadata", "namespace"));
        Assert.All(rules, rule =>
        {
            Assert.Equal(["coordination.k8s.io"], Strings(Node(rule, "apiGroups")));
            Assert.Equal(["leases"], Strings(Node(rule, "resources")));
            Assert.DoesNotContain("delete", Strings(Node(rule, "verbs")));
            Assert.DoesNotContain("*", Strings(Node(rule, "verbs")));
        });
    }

    [Fact]
    public void Bindings_BindTheCollectorsServiceAccountOnly()
    {
        foreach (var kind in new[] { "ClusterRoleBinding", "RoleBinding" })
        {
            var subject = Assert.Single(((YamlSequenceNode)Node(Kind(kind), "subjects")).Children);
            Assert.Equal("ServiceAccount", Scalar(subject, "kind"));
            Assert.Equal(Scalar(Kind("ServiceAccount"), "metadata", "name"), Scalar(subject, "name"));
        }
    }

    [Fact]
    public void Deployment_RunsNonRootReadOnlyWithoutCapabilities()
    {
        var pod = Node(Kind("Deployment"), "spec", "template", "spec");
        var container = Assert.Single(((YamlSequenceNode)Node(pod, "containers")).Children);

        Assert.Equal("true", Scalar(pod, "securityContext", "runAsNonRoot"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal(["ALL"], Strings(Node(container, "securityContext", "capabilities", "drop")));
        Assert.Equal("false", Scalar(Kind("ServiceAccount"), "automountServiceAccountToken"));
        Assert.NotNull(Scalar(container, "resources", "limits", "memory"));
        Assert.NotNull(Scalar(container, "resources", "requests", "cpu"));
    }

    [Fact]
    public void Deployment_ProbesUseTheHttpPortPaths()
    {
        var container = Assert.Single(((YamlSequenceNode)Node(Kind("Deployment"), "spec", "template", "spec", "containers")).Children);
        var port = Assert.Single(((YamlSequenceNode)Node(container, "ports")).Children);
        var env = ((YamlSequenceNode)Node(container, "env")).Children.ToDictionary(e => Scalar(e, "name")!, e => Scalar(e, "value"));

        Assert.Equal("/healthz", Scalar(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/readyz", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal(Scalar(port, "name"), Scalar(container, "livenessProbe", "httpGet", "port"));
        Assert.Equal(Scalar(port, "name"), Scalar(container, "readinessProbe", "httpGet", "port"));
        Assert.Equal(Scalar(port, "containerPort"), env["HTTP_PORT"]);
    }

    [Fact]
    public void Deployment_EnvironmentIsValidCollectorSettings()
    {
        var container = Assert.Single(((YamlSequenceNode)Node(Kind("Deployment"), "spec", "template", "spec", "containers")).Children);
        var env = ((YamlSequenceNode)Node(container, "env")).Children.ToDictionary(e => Scalar(e, "name")!, e => Scalar(e, "value") ?? "from-downward-api");

        var settings = Collector.Settings.CollectorSettingsReader.Read(new Shared.Contract.Settings.DictionaryEnvironmentVariables(env), dryRun: false);

        Assert.True(settings.LeaderElection);
        var leaseNames = ((YamlSequenceNode)Node(Kind("Role"), "rules")).Children
            .Where(r => ((YamlMappingNode)r).Children.ContainsKey(new YamlScalarNode("resourceNames")))
            .SelectMany(r => Strings(Node(r, "resourceNames")));
        Assert.Equal([settings.LeaseName], leaseNames);
        var grace = int.Parse(Scalar(Kind("Deployment"), "spec", "template", "spec", "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(settings.ShutdownTimeout + TimeSpan.FromSeconds(2) < TimeSpan.FromSeconds(grace), "the flush must finish inside the grace period");
    }

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex PlaceholderPattern();
}
