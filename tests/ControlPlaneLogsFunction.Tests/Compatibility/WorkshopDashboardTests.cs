using System.Text.Json.Nodes;
using TestSupport;

namespace ControlPlaneLogsFunction.Tests.Compatibility;

/// <summary>
/// The EKS workshop's control-plane dashboard must work on our indices: the template types the fields it
/// filters on and shows as the dashboard expects. That its saved searches find their fields in our documents
/// is checked against the workshop's own export in Conformance.Tests.EksWorkshop.WorkshopDashboardTests.
/// </summary>
public class WorkshopDashboardTests
{
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
