using System.Text.Json.Nodes;
using TestSupport;

namespace Conformance.Tests.EksWorkshop;

/// <summary>
/// Our saved objects beside the EKS workshop's (its saved-objects export, eks-workshop-v2_opensearch-dashboards.ndjson):
/// importing both, in either order, leaves one index pattern per title and every reference resolving.
/// </summary>
public sealed class IndexPatternIdTests
{
    private static List<JsonObject> Workshop() => File.ReadLines(PublicSamples.PathOf("eks-workshop-v2_opensearch-dashboards.ndjson"))
        .Select(l => JsonNode.Parse(l)!.AsObject())
        .Where(o => o["type"] is not null) // the export's last line is its summary
        .ToList();

    private static List<JsonObject> Ours() => Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "dashboards"), "*.ndjson")
        .SelectMany(File.ReadLines)
        .Where(l => l.Length > 0)
        .Select(l => JsonNode.Parse(l)!.AsObject())
        .ToList();

    /// <summary>Dashboards' import with overwrite: an object replaces the one of the same type and id.</summary>
    private static Dictionary<string, JsonObject> Import(params List<JsonObject>[] files)
    {
        var saved = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var o in files.SelectMany(f => f))
        {
            saved[$"{o["type"]}/{o["id"]}"] = o;
        }

        return saved;
    }

    [Fact]
    public void IndexPatterns_TitlesTheWorkshopUses_HaveTheWorkshopsIds()
    {
        var workshop = Workshop().Where(o => (string?)o["type"] == "index-pattern").ToDictionary(o => (string)o["attributes"]!["title"]!, o => (string)o["id"]!);

        var shared = Ours().Where(o => (string?)o["type"] == "index-pattern" && workshop.ContainsKey((string)o["attributes"]!["title"]!)).ToList();

        Assert.Equal(["eks-control-plane-logs*", "eks-kubernetes-events*"], shared.Select(o => (string)o["attributes"]!["title"]!).Order(StringComparer.Ordinal));
        Assert.All(shared, o => Assert.Equal(workshop[(string)o["attributes"]!["title"]!], (string?)o["id"]));
    }

    [Fact]
    public void Import_WorkshopThenOursOrTheOtherWay_LeavesOnePatternPerTitleAndEveryReferenceResolving()
    {
        foreach (var saved in new[] { Import(Workshop(), Ours()), Import(Ours(), Workshop()) })
        {
            var titles = saved.Values.Where(o => (string?)o["type"] == "index-pattern").Select(o => (string)o["attributes"]!["title"]!).ToList();
            Assert.Equal(titles.Count, titles.Distinct().Count());
            foreach (var (key, o) in saved)
            {
                foreach (var reference in o["references"]!.AsArray())
                {
                    Assert.True(saved.ContainsKey($"{reference!["type"]}/{reference["id"]}"), $"{key} refers to missing {reference["type"]}/{reference["id"]}");
                }
            }
        }
    }
}
