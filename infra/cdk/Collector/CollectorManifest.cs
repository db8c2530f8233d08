using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Infra.Collector;

/// <summary>
/// The collector's Kubernetes manifests: deploy/collector/collector.yaml is a template filled by plain
/// text substitution of exactly these placeholders, so that the same file serves `kubectl apply` (after
/// envsubst or this app) and the CDK's KubernetesManifest.
/// </summary>
public static partial class CollectorManifest
{
    /// <summary>The placeholders the template may use, all of which the app fills.</summary>
    public static readonly IReadOnlyList<string> Placeholders = ["NAMESPACE", "QUEUE_URL", "CLUSTER_NAME", "AWS_REGION", "IMAGE", "ROLE_ARN", "NODE_ARCHITECTURES"];

    /// <summary>
    /// Replaces every <c>${NAME}</c> placeholder. Every placeholder must get a value and none may be left
    /// in the text, so a template that grows a new one fails the synth instead of shipping a literal
    /// <c>${...}</c> to the cluster.
    /// </summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var missing = Placeholders.Where(name => !values.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"No value for placeholder(s) {string.Join(", ", missing)}.", nameof(values));
        }

        var rendered = PlaceholderPattern().Replace(template, match =>
            values.TryGetValue(match.Groups["name"].Value, out var value)
                ? value
                : throw new InvalidOperationException($"The collector manifest template uses ${{{match.Groups["name"].Value}}}, which the CDK app does not fill ({string.Join(", ", Placeholders)})."));
        return rendered;
    }

    /// <summary>
    /// Parses rendered multi-document YAML into the JSON-shaped objects KubernetesManifest takes. Plain
    /// scalars follow the YAML 1.2 core schema (so <c>replicas: 1</c> stays a number and
    /// <c>readOnlyRootFilesystem: true</c> a boolean); quoted scalars stay strings.
    /// </summary>
    public static IReadOnlyList<IDictionary<string, object>> ToObjects(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        var objects = new List<IDictionary<string, object>>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlMappingNode mapping && mapping.Children.Count > 0)
            {
                objects.Add(ToMap(mapping));
            }
        }

        return objects;
    }

    private static Dictionary<string, object> ToMap(YamlMappingNode mapping) =>
        mapping.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? string.Empty,
            pair => ToValue(pair.Value));

    private static object ToValue(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToMap(mapping),
        YamlSequenceNode sequence => sequence.Children.Select(ToValue).ToArray(),
        YamlScalarNode scalar => ToScalar(scalar),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
    };

    private static object ToScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return text;
        }

        return text switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
            _ => text,
        };
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z][A-Z0-9_]*)\}")]
    private static partial Regex PlaceholderPattern();
}
