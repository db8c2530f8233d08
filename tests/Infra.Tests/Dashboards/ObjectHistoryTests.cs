using System.Text.Json;
using System.Text.Json.Nodes;
using TestSupport.Dashboards;
using static Infra.Tests.Dashboards.SavedObjectFile;

namespace Infra.Tests.Dashboards;

/// <summary>The object block in both templates, the "Object history" view, and how our dashboards filter.</summary>
public sealed class ObjectHistoryTests
{
    private static readonly SavedObjectFile History = Named("object-history.ndjson");

    private static JsonObject Template(string path) =>
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine(path.Split('/'))))!["template"]!["mappings"]!["properties"]!.AsObject();

    private static JsonObject ById(SavedObjectFile file, string id) => file.Objects.Single(o => Id(o) == id);

    private static bool Shows(string query, string documentJson)
    {
        using var document = JsonDocument.Parse(documentJson);
        return KqlQuery.Parse(query).Matches(document.RootElement);
    }

    [Fact]
    public void Templates_ObjectBlockAndOrigin_AreMappedIdenticallyAsKeywordsInBothIndices()
    {
        var events = Template("src/IndexerFunction/OpenSearch/eks-kubernetes-events.template.json");
        var controlPlane = Template("src/ControlPlaneLogsFunction/OpenSearch/eks-control-plane-logs.template.json");

        foreach (var field in new[] { "object", "origin" })
        {
            Assert.True(JsonNode.DeepEquals(events[field], controlPlane[field]), $"{field}: {events[field]?.ToJsonString()} vs {controlPlane[field]?.ToJsonString()}");
        }

        var members = events["object"]!["properties"]!.AsObject();
        Assert.Equal(["apiGroup", "kind", "name", "namespace", "resource", "subresource", "uid"], members.Select(m => m.Key).Order(StringComparer.Ordinal));
        Assert.All(members, m => Assert.Equal("keyword", (string?)m.Value!["type"]));
        Assert.Equal("keyword", (string?)events["origin"]!["type"]);
    }

    [Fact]
    public void IndexPattern_ObjectHistory_ReadsBothIndicesByTime()
    {
        var pattern = History.Objects.Single(o => Type(o) == "index-pattern");

        Assert.Equal("eks-kubernetes-events*,eks-control-plane-logs*", (string?)Attributes(pattern)["title"]);
        Assert.Equal("@timestamp", (string?)Attributes(pattern)["timeFieldName"]);
    }

    [Fact]
    public void Search_ObjectHistory_ShowsWhatHappenedAndWhoDidIt()
    {
        var search = ById(History, "eks-history-object-history-search");

        Assert.Equal("Object history", (string?)Attributes(search)["title"]);
        Assert.Equal(
            ["origin", "object.kind", "object.namespace", "object.name", "reason", "message", "verb", "user.username", "responseStatus.code", "userAgent"],
            Attributes(search)["columns"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("@timestamp", (string?)Attributes(search)["sort"]![0]![0]);
        Assert.Equal("desc", (string?)Attributes(search)["sort"]![0]![1]);
    }

    [Theory]
    [InlineData("""{"origin":"event","type":"Warning","reason":"Failed","object":{"kind":"Pod"}}""", true)]
    [InlineData("""{"origin":"event","type":"Normal","reason":"ScalingReplicaSet"}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"patch","responseStatus":{"code":200},"object":{"kind":"Deployment","subresource":"scale"}}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"create","responseStatus":{"code":201}}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"update","responseStatus":{"code":409}}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"delete","responseStatus":{"code":200}}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"deletecollection","responseStatus":{"code":200}}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"get","responseStatus":{"code":403}}""", true)] // denied
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"get","responseStatus":{"code":200}}""", false)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"list","responseStatus":{"code":200}}""", false)]
    [InlineData("""{"origin":"audit","stage":"ResponseStarted","verb":"watch","responseStatus":{"code":200}}""", false)]
    [InlineData("""{"origin":"audit","stage":"RequestReceived","verb":"patch"}""", false)] // the same request once more, before its outcome
    [InlineData("""{"log_type":"kube-scheduler","msg":"Successfully bound pod to node"}""", false)]
    public void Search_ObjectHistoryByDefault_ShowsEventsAndRequestsThatChangedOrWereDenied(string document, bool shown)
    {
        var query = Query(ById(History, "eks-history-object-history-search"));

        Assert.Equal(shown, Shows(query, document));
    }

    [Theory]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"patch","user":{"username":"alice"}}""", true)]
    [InlineData("""{"origin":"audit","stage":"ResponseComplete","verb":"get","responseStatus":{"code":403},"user":{"username":"mallory"}}""", false)]
    [InlineData("""{"origin":"event","reason":"Killing"}""", false)]
    public void WhoChangedWhat_CountsOnlyMutatingRequestsByUserAndVerb(string document, bool counted)
    {
        var table = ById(History, "eks-history-object-history-who-changed");
        var fields = VisState(table)!["aggs"]!.AsArray().Select(a => (string?)a!["params"]!["field"]).OfType<string>().ToList();

        Assert.Equal(["user.username.keyword", "verb.keyword", "object.kind"], fields);
        Assert.Equal(counted, Shows(Query(table), document));
    }

    [Fact]
    public void Timeline_FollowsTheSavedSearchSplitByOrigin()
    {
        var timeline = ById(History, "eks-history-object-history-timeline");

        Assert.Equal("eks-history-object-history-search", timeline["references"]!.AsArray().Single(r => (string?)r!["name"] == (string?)Attributes(timeline)["savedSearchRefName"])!["id"]!.GetValue<string>());
        var aggs = VisState(timeline)!["aggs"]!.AsArray();
        Assert.Contains(aggs, a => (string?)a!["type"] == "date_histogram" && (string?)a["params"]!["field"] == "@timestamp");
        Assert.Contains(aggs, a => (string?)a!["type"] == "terms" && (string?)a["params"]!["field"] == "origin");
    }

    [Fact]
    public void Controls_ObjectHistory_FilterByClusterNamespaceKindAndName()
    {
        var controls = Controls(ById(History, "eks-history-object-history-controls")).ToList();

        Assert.Equal(["clusterName.keyword", "object.namespace", "object.kind", "object.name"], controls.Select(c => (string?)c["fieldName"]));
        Assert.All(controls, c => Assert.Equal("list", (string?)c["type"]));
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(SavedObjectFile))]
    public void Dashboard_EveryFile_HasAClusterFilterControl(string file)
    {
        // Many clusters share one domain: every dashboard lets the user pick them.
        var saved = Named(file);
        var dashboard = saved.Objects.Single(o => Type(o) == "dashboard");
        var panels = dashboard["references"]!.AsArray().Select(r => saved.Objects.Single(o => Id(o) == (string?)r!["id"]));

        Assert.Contains(panels, p => Controls(p).Any(c => (string?)c["fieldName"] == "clusterName.keyword"));
    }

    [Fact]
    public void Queries_ObjectHistory_NameOnlyKeywordAndNumberFields()
    {
        // KqlQuery (and the tests above) compare exact values, which is what OpenSearch does for these types.
        foreach (var file in new[] { History })
        {
            foreach (var o in file.Objects.Where(o => Query(o).Length > 0))
            {
                foreach (var field in KqlQuery.Parse(Query(o)).Fields)
                {
                    var types = new[] { IndexTemplateFields.Events, IndexTemplateFields.ControlPlane }
                        .Select(t => t.TypeOf(field) ?? (field.EndsWith(".keyword", StringComparison.Ordinal) && t.DynamicStrings ? "keyword" : null))
                        .OfType<string>().Distinct().ToList();
                    Assert.True(types.Count > 0 && types.All(t => t is "keyword" or "long"), $"{Id(o)} queries '{field}' ({string.Join(",", types)})");
                }
            }
        }
    }

    [Fact]
    public void LogTypeFilters_ApiServerPanels_CountApiServerLinesButNotAuditLines()
    {
        // A match_phrase on the analysed log_type would find "kube-apiserver" inside "kube-apiserver-audit".
        var saved = Named("control-plane-logs.ndjson");
        foreach (var o in saved.Objects.Where(o => SearchSource(o)?["filter"] is JsonArray))
        {
            foreach (var filter in SearchSource(o)!["filter"]!.AsArray().Where(f => ((string?)f!["meta"]!["key"])!.StartsWith("log_type", StringComparison.Ordinal)))
            {
                Assert.Equal("log_type.keyword", (string?)filter!["meta"]!["key"]);
                Assert.Equal((string?)filter["meta"]!["params"]!["query"], (string?)filter["query"]!["match_phrase"]!["log_type.keyword"]);
            }
        }

        var apiServer = ById(saved, "eks-history-cp-apiserver-histogram");
        var wanted = (string?)SearchSource(apiServer)!["filter"]![0]!["query"]!["match_phrase"]!["log_type.keyword"];
        Assert.Equal("kube-apiserver", wanted);
        Assert.NotEqual("kube-apiserver-audit", wanted); // a keyword phrase is the whole value
    }

    [Fact]
    public void CloudControllerManager_HasItsOwnPanels()
    {
        var saved = Named("control-plane-logs.ndjson");
        foreach (var id in new[] { "eks-history-cp-cloud-controller-manager-histogram", "eks-history-cp-cloud-controller-manager-lines" })
        {
            var filter = SearchSource(ById(saved, id))!["filter"]![0]!;
            Assert.Equal("cloud-controller-manager", (string?)filter["query"]!["match_phrase"]!["log_type.keyword"]);
            Assert.Contains(saved.Objects.Single(o => Type(o) == "dashboard")["references"]!.AsArray(), r => (string?)r!["id"] == id);
        }
    }

    [Fact]
    public void NewestEvents_SeriesEvents_ShowTheirSeriesCount()
    {
        // Events of events.k8s.io style (scheduler, kubelet's newer ones) carry eventTime and a series, and no count.
        var newest = ById(Named("kubernetes-events.ndjson"), "eks-history-events-newest");
        var columns = Attributes(newest)["columns"]!.AsArray().Select(c => (string?)c).ToList();

        Assert.Contains("series.count", columns);
        Assert.Equal(columns.IndexOf("count") + 1, columns.IndexOf("series.count"));
        Assert.Equal("long", IndexTemplateFields.Events.TypeOf("series.count"));
    }
}
