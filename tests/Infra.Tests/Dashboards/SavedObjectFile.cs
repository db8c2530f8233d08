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

    /// <summary>
    /// The index pattern an object reads, through its references: its search source's index, the saved
    /// search it is built on (<c>search_0</c>), or, for a controls visualization, its first control's pattern.
    /// </summary>
    public JsonObject? IndexPatternOf(JsonObject o)
    {
        var references = o["references"]!.AsArray().Select(r => r!.AsObject()).ToList();
        if (references.FirstOrDefault(r => r["name"]!.GetValue<string>() is "kibanaSavedObjectMeta.searchSourceJSON.index" or "control_0_index_pattern") is { } reference)
        {
            return Objects.Single(x => Type(x) == "index-pattern" && Id(x) == reference["id"]!.GetValue<string>());
        }

        if (Attributes(o)["savedSearchRefName"]?.GetValue<string>() is { } searchRef)
        {
            var search = references.Single(r => r["name"]!.GetValue<string>() == searchRef)["id"]!.GetValue<string>();
            return IndexPatternOf(Objects.Single(x => Type(x) == "search" && Id(x) == search));
        }

        return null;
    }

    /// <summary>The controls of an <c>input_control_vis</c> visualization (none for other objects).</summary>
    public static IEnumerable<JsonObject> Controls(JsonObject o) =>
        VisState(o)?["params"]?["controls"] is JsonArray controls ? controls.Select(c => c!.AsObject()) : [];

    /// <summary>The KQL query of an object's search source, or empty.</summary>
    public static string Query(JsonObject o) => SearchSource(o)?["query"]?["query"]?.GetValue<string>() ?? string.Empty;

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

        foreach (var control in Controls(o))
        {
            // A list control offers the terms of its field: it aggregates on it.
            yield return (control["fieldName"]!.GetValue<string>(), true, "control");
        }

        // Our queries are KQL clauses "field:value" and "field:(a or b)", joined with and, or, not.
        foreach (System.Text.RegularExpressions.Match clause in System.Text.RegularExpressions.Regex.Matches(Query(o), @"([A-Za-z@_][\w.@/-]*)\s*:"))
        {
            yield return (clause.Groups[1].Value, false, "query");
        }
    }
}
