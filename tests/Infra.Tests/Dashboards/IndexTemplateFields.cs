using System.Text.Json;

namespace Infra.Tests.Dashboards;

/// <summary>
/// The fields an index template defines, as OpenSearch Dashboards sees them: every explicitly mapped
/// field and its multi-fields (<c>type.keyword</c>), with whether it can be aggregated on.
/// </summary>
public sealed class IndexTemplateFields
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    private IndexTemplateFields(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Patterns = root.GetProperty("index_patterns").EnumerateArray().Select(p => p.GetString()!).ToList();
        var mappings = root.GetProperty("template").GetProperty("mappings");
        Walk(mappings.GetProperty("properties"), prefix: "");
        DynamicStrings = mappings.TryGetProperty("dynamic_templates", out var dynamic) && dynamic.EnumerateArray()
            .SelectMany(t => t.EnumerateObject())
            .Any(t => t.Value.TryGetProperty("match_mapping_type", out var type) && type.GetString() == "string"
                      && t.Value.GetProperty("mapping").TryGetProperty("fields", out var fields) && fields.TryGetProperty("keyword", out _));
    }

    /// <summary>The index patterns the template applies to.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Whether strings not mapped explicitly become text with a keyword sub-field.</summary>
    public bool DynamicStrings { get; }

    public static IndexTemplateFields Events { get; } = new(RepositoryPaths.Combine("src", "IndexerFunction", "OpenSearch", "eks-kubernetes-events.template.json"));

    public static IndexTemplateFields ControlPlane { get; } = new(RepositoryPaths.Combine("src", "ControlPlaneLogsFunction", "OpenSearch", "eks-control-plane-logs.template.json"));

    /// <summary>The mapped type of a field, or null when the template does not define it.</summary>
    public string? TypeOf(string field) => _types.GetValueOrDefault(field);

    /// <summary>Whether terms and histogram aggregations can use the field.</summary>
    public static bool IsAggregatable(string? type) => type is "keyword" or "long" or "integer" or "date" or "boolean" or "double" or "float" or "ip";

    private void Walk(JsonElement properties, string prefix)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var name = prefix + property.Name;
            if (property.Value.TryGetProperty("properties", out var children))
            {
                Walk(children, name + ".");
                continue;
            }

            _types[name] = property.Value.TryGetProperty("type", out var type) ? type.GetString()! : "object";
            if (property.Value.TryGetProperty("fields", out var fields))
            {
                foreach (var sub in fields.EnumerateObject())
                {
                    _types[$"{name}.{sub.Name}"] = sub.Value.GetProperty("type").GetString()!;
                }
            }
        }
    }
}
