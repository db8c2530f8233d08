using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Tests.Dashboards;

/// <summary>One dashboards/*.ndjson file: OpenSearch Dashboards saved objects, one JSON object a line.</summary>
public sealed class SavedObjectFile
{
    private SavedObjectFile(string name, IReadOnlyList<JsonObject> objects)
    {
        Name = name;
        Objects = objects;
    }

    public string Name { get; }

    public IReadOnlyList<JsonObject> Objects { get; }

    public static IReadOnlyList<SavedObjectFile> All { get; } = Directory
        .GetFiles(RepositoryPaths.Combine("dashboards"), "*.ndjson")
        .Order(StringComparer.Ordinal)
        .Select(path => new SavedObjectFile(Path.GetFileName(path), File.ReadAllLines(path)
            .Where(line => line.Length > 0)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList()))
        .ToList();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var file in All)
        {
            data.Add(file.Name);
        }

        return data;
    }

    public static SavedObjectFile Named(string name) => All.Single(f => f.Name == name);

    public static string Type(JsonObject o) => o["type"]!.GetValue<string>();

    public static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    public static JsonObject Attributes(JsonObject o) => o["attributes"]!.AsObject();

    /// <summary>The object's search source (query and filters), parsed from its JSON string.</summary>
    public static JsonObject? SearchSource(JsonObject o) =>
        Attributes(o)["kibanaSavedObjectMeta"]?["searchSourceJSON"] is { } text ? JsonNode.Parse(text.GetValue<string>())!.AsObject() : null;

    /// <summary>A visualization's state, parsed from its JSON string.</summary>
    public static JsonObject? VisState(JsonObject o) =>
        Attributes(o)["visState"] is { } text ? JsonNode.Parse(text.GetValue<string>())!.AsObject() : null;

    /// <summary>The index pattern an object reads, through its references.</summary>
    public JsonObject? IndexPatternOf(JsonObject o)
    {
        var reference = o["references"]!.AsArray().Select(r => r!.AsObject())
            .FirstOrDefault(r => r["name"]!.GetValue<string>() == "kibanaSavedObjectMeta.searchSourceJSON.index");
        return reference is null ? null : Objects.Single(x => Type(x) == "index-pattern" && Id(x) == reference["id"]!.GetValue<string>());
    }

    /// <summary>Every field an object uses: aggregation fields (with whether they are aggregated), columns, filter keys.</summary>
    public static IEnumerable<(string Field, bool Aggregated, string Where)> FieldsUsedBy(JsonObject o)
    {
        if (VisState(o) is { } vis)
        {
            foreach (var agg in vis["aggs"]!.AsArray().Select(a => a!.AsObject()))
            {
                if (agg["params"]?["field"] is { } field)
                {
                    yield return (field.GetValue<string>(), true, $"aggregation {agg["type"]}");
                }
            }
        }

        if (Attributes(o)["columns"] is JsonArray columns)
        {
            foreach (var column in columns)
            {
                yield return (column!.GetValue<string>(), false, "column");
            }
        }

        if (Attributes(o)["sort"] is JsonArray sorts)
        {
            foreach (var sort in sorts)
            {
                yield return (sort![0]!.GetValue<string>(), true, "sort");
            }
        }

        if (SearchSource(o)?["filter"] is JsonArray filters)
        {
            foreach (var filter in filters.Select(f => f!.AsObject()))
            {
                yield return (filter["meta"]!["key"]!.GetValue<string>(), false, "filter");
                var body = filter["query"]?["match_phrase"] ?? filter["range"];
                foreach (var key in body!.AsObject().Select(p => p.Key))
                {
                    yield return (key, false, "filter query");
                }
            }
        }

        if (SearchSource(o)?["query"]?["query"] is { } kuery && kuery.GetValue<string>() is { Length: > 0 } text)
        {
            // Our queries are "field:value" clauses.
            yield return (text[..text.IndexOf(':', StringComparison.Ordinal)], false, "query");
        }
    }
}
