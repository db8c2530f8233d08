using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conformance.Tests.EksControlPlane;
using ControlPlaneLogsFunction.Tests.Documents;
using ControlPlaneLogsFunction.Tests.Samples;

namespace Conformance.Tests.EksWorkshop;

/// <summary>
/// The EKS workshop's control-plane dashboard (its saved-objects export, eks-workshop-v2_opensearch-dashboards.ndjson)
/// must work on our indices: every field its saved searches and visualizations filter on or show exists in
/// our documents for the log type the filter selects. That the template types those fields as the
/// dashboard expects is pinned without the sample, in ControlPlaneLogsFunction.Tests.Compatibility.WorkshopDashboardTests.
/// </summary>
public class WorkshopDashboardTests
{
    // A method, not a field: without the samples folder each test fails naming it, not with a type initializer error.
    private static (string Stream, string Line)[] Samples() =>
    [
        (ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod),
        (ControlPlaneLines.AuditStream, ControlPlaneLines.AuditServiceAccountGet),
        (ControlPlaneLines.ApiServerStream, ControlPlaneLines.ApiServerTrace),
        (ControlPlaneLines.AuthenticatorStream, AuthenticatorSampleLines.All()[0]),
        (ControlPlaneLines.ControllerManagerStream, ControlPlaneLines.ControllerManagerStructured),
        (ControlPlaneLines.CloudControllerManagerStream, ControlPlaneLines.CloudControllerWarning),
        (ControlPlaneLines.SchedulerStream, ControlPlaneLines.SchedulerStructured),
    ];

    private sealed record SavedObject(string Title, IReadOnlyList<string> Fields, IReadOnlyList<(string Field, string Phrase, bool Negate)> Filters);

    private static List<SavedObject> ControlPlaneObjects()
    {
        var objects = new List<SavedObject>();
        foreach (var line in File.ReadLines(PublicSamples.PathOf("eks-workshop-v2_opensearch-dashboards.ndjson")))
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
            var selected = Samples()
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
}
