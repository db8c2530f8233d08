using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ControlPlaneLogsFunction.Tests.Documents;
using ControlPlaneLogsFunction.Tests.Samples;
using TestSupport.CloudWatchLogs;
using TestSupport;

namespace ControlPlaneLogsFunction.Tests.Compatibility;

/// <summary>
/// The EKS workshop's control-plane dashboard (../shared/fixtures/eks-workshop-v2_opensearch-dashboards.ndjson)
/// must work on our indices: every field its saved searches and visualizations filter on or show exists in
/// our documents for the log type the filter selects, and the template types those fields as the
/// dashboard expects.
/// </summary>
public class WorkshopDashboardTests
{
    private static readonly (string Stream, string Line)[] Samples =
    [
        (ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod),
        (ControlPlaneLines.AuditStream, ControlPlaneLines.AuditServiceAccountGet),
        (ControlPlaneLines.ApiServerStream, ControlPlaneLines.ApiServerTrace),
        (ControlPlaneLines.AuthenticatorStream, ControlPlaneLines.AuthenticatorFixtureLines()[0]),
        (ControlPlaneLines.ControllerManagerStream, ControlPlaneLines.ControllerManagerStructured),
        (ControlPlaneLines.CloudControllerManagerStream, ControlPlaneLines.CloudControllerWarning),
        (ControlPlaneLines.SchedulerStream, ControlPlaneLines.SchedulerStructured),
    ];

    private sealed record SavedObject(string Title, IReadOnlyList<string> Fields, IReadOnlyList<(string Field, string Phrase, bool Negate)> Filters);

    private static List<SavedObject> ControlPlaneObjects()
    {
        var objects = new List<SavedObject>();
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot.Fixtures, "eks-workshop-v2_opensearch-dashboards.ndjson")))
        {
            var node = JsonNode.Parse(line)!.AsObject();
            var title = (string?)node["attributes"]?["title"] ?? string.Empty;
            if ((string?)node["type"] is not ("search" or "visualization") || !title.StartsWith("K8s control plane logs", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = new List<string>();
            fields.AddRange(node["attributes"]!["columns"]?.AsArray().Select(c => (string)c!) ?? []);
            if ((string?)node["attributes"]!["visState"] is { } visState)
            {
                fields.AddRange(JsonNode.Parse(visState)!["aggs"]!.AsArray().Select(a => (string?)a!["params"]!["field"]).OfType<string>());
            }

            var search = JsonNode.Parse((string)node["attributes"]!["kibanaSavedObjectMeta"]!["searchSourceJSON"]!)!;
            var filters = search["filter"]!.AsArray()
                .Select(f => ((string)f!["meta"]!["key"]!, (string)f["meta"]!["params"]!["query"]!, (bool)f["meta"]!["negate"]!))
                .ToList();
            objects.Add(new SavedObject(title, fields, filters));
        }

        return objects;
    }

    /// <summary>A match_phrase on a text field with the standard analyzer: the phrase's tokens appear in order.</summary>
    private static bool MatchPhrase(string value, string phrase)
    {
        static string[] Tokens(string s) => Regex.Split(s.ToLowerInvariant(), "[^a-z0-9]+").Where(t => t.Length > 0).ToArray();
        var text = Tokens(value);
        var words = Tokens(phrase);
        return Enumerable.Range(0, Math.Max(0, text.Length - words.Length + 1)).Any(i => text.Skip(i).Take(words.Length).SequenceEqual(words));
    }

    private static bool HasField(JsonObject document, string path)
    {
        // Dashboards flatten _source the way OpenSearch maps it: dots in keys are object paths.
        return Flatten(document, string.Empty).Contains(path);

        static IEnumerable<string> Flatten(JsonNode? node, string prefix) => node switch
        {
            JsonObject o => o.SelectMany(p => Flatten(p.Value, prefix.Length == 0 ? p.Key : prefix + "." + p.Key)).Append(prefix),
            _ => [prefix],
        };
    }

    [Fact]
    public void Dashboard_HasTheControlPlaneSearchesThisTestChecks()
    {
        var objects = ControlPlaneObjects();

        Assert.Equal(10, objects.Count);
        Assert.Contains(objects, o => o.Fields.Contains("annotations.authorization.k8s.io/reason"));
    }

    [Fact]
    public void EverySavedSearch_SelectsOurDocumentsOfItsLogTypeAndFindsItsFields()
    {
        foreach (var saved in ControlPlaneObjects())
        {
            var selected = Samples
                .Select(s => DocumentAssert.Build(s.Stream, s.Line).Json)
                .Where(doc => saved.Filters.All(f => MatchPhrase((string)doc[f.Field]!, f.Phrase) != f.Negate))
                .ToList();

            Assert.True(selected.Count > 0, $"'{saved.Title}' selects none of our documents");
            foreach (var field in saved.Fields)
            {
                Assert.True(selected.Any(doc => HasField(doc, field)), $"'{saved.Title}' shows {field}, which none of its documents has");
            }
        }
    }

    [Fact]
    public void Template_TypesTheDashboardFieldsAsTheIndexPatternExpects()
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "ControlPlaneLogsFunction", "OpenSearch", "eks-control-plane-logs.template.json")))!;
        var properties = template["template"]!["mappings"]!["properties"]!;

        Assert.Equal("date", (string?)properties["@timestamp"]!["type"]);
        foreach (var field in new[] { "@log_stream", "@message", "@log_group", "@owner", "@id" })
        {
            // match_phrase filters need analyzed text; the index pattern also lists the .keyword sub-field.
            Assert.Equal("text", (string?)properties[field]!["type"]);
            Assert.Equal("keyword", (string?)properties[field]!["fields"]!["keyword"]!["type"]);
        }

        Assert.Equal("text", (string?)properties["annotations"]!["properties"]!["authorization.k8s.io/reason"]!["type"]);
        Assert.False((bool)properties["requestObject"]!["enabled"]!);
        Assert.False((bool)properties["responseObject"]!["enabled"]!);
        Assert.Equal("date", (string?)properties["requestReceivedTimestamp"]!["type"]);
        Assert.False((bool)template["template"]!["mappings"]!["date_detection"]!);
        Assert.True((int)template["template"]!["settings"]!["index.mapping.total_fields.limit"]! >= 1000);
        Assert.Equal(["eks-control-plane-logs-*"], template["index_patterns"]!.AsArray().Select(p => (string?)p));
    }

    [Fact]
    public void Template_ForAnotherPrefix_PointsItsPatternThere()
    {
        var template = JsonNode.Parse(ControlPlaneStartup.Template("team-a-cp").Body.Span)!;

        Assert.Equal(["team-a-cp-*"], template["index_patterns"]!.AsArray().Select(p => (string?)p));
    }
}
