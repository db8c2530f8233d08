using System.Text.Json.Nodes;

namespace Shared.OpenSearch;

/// <summary>A composable index template (the body of <c>PUT _index_template/&lt;name&gt;</c>).</summary>
/// <param name="Name">The name in <c>PUT _index_template/&lt;name&gt;</c>; the functions use their index prefix, e.g. <c>eks-kubernetes-events</c>, so a changed prefix installs its own template.</param>
/// <param name="Body">The template JSON.</param>
public sealed record IndexTemplate(string Name, ReadOnlyMemory<byte> Body)
{
    /// <summary>
    /// Loads a template shipped with a function and points its <c>index_patterns</c> at the configured
    /// prefix, so a renamed index (EVENTS_INDEX, CONTROL_PLANE_INDEX) still gets its mapping.
    /// </summary>
    public static IndexTemplate ForPrefix(string name, ReadOnlySpan<byte> templateJson, string indexPrefix)
    {
        var node = JsonNode.Parse(templateJson)?.AsObject()
            ?? throw new InvalidOperationException($"Index template {name} is not a JSON object.");
        node["index_patterns"] = new JsonArray(JsonValue.Create(indexPrefix + "-*"));
        return new IndexTemplate(name, System.Text.Encoding.UTF8.GetBytes(node.ToJsonString()));
    }

    /// <summary>Reads an embedded resource of <paramref name="assembly"/> by its file name.</summary>
    public static byte[] ReadResource(System.Reflection.Assembly assembly, string fileName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith(fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded resource {fileName} is missing from {assembly.GetName().Name}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
