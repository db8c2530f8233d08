using System.Text.Json.Nodes;
using static Infra.Tests.Dashboards.SavedObjectFile;

namespace Infra.Tests.Dashboards;

public sealed class SavedObjectTests
{
    // Strings the control-plane function writes whose names come from the log line itself (audit and
    // authenticator keys, docs/contract.md "Control-plane log documents"); the template maps them through its string dynamic template.
    private static readonly HashSet<string> DynamicControlPlaneStrings =
    [
        "verb", "auditID", "stage", "level", "requestURI", "userAgent", "objectRef.resource", "objectRef.namespace",
        "objectRef.name", "objectRef.apiGroup", "objectRef.apiVersion", "objectRef.subresource", "arn", "username", "uid", "accesskeyid",
    ];

    private static IndexTemplateFields TemplateFor(string indexPattern) => indexPattern switch
    {
        "eks-kubernetes-events*" => IndexTemplateFields.Events,
        "eks-control-plane-logs*" => IndexTemplateFields.ControlPlane,
        _ => throw new InvalidOperationException($"No index template of ours serves {indexPattern}."),
    };

    /// <summary>The templates behind an index pattern title, which may name several patterns (<c>a*,b*</c>).</summary>
    private static IReadOnlyList<IndexTemplateFields> TemplatesFor(string indexPatternTitle) =>
        indexPatternTitle.Split(',').Select(TemplateFor).ToList();

    /// <summary>The field's type in a template, counting strings the control-plane template maps dynamically.</summary>
    private static string? TypeIn(IndexTemplateFields template, string field)
    {
        var type = template.TypeOf(field);
        if (type is null && template.DynamicStrings && template == IndexTemplateFields.ControlPlane)
        {
            var parent = field.EndsWith(".keyword", StringComparison.Ordinal) ? field[..^".keyword".Length] : field;
            if (DynamicControlPlaneStrings.Contains(parent))
            {
                type = field == parent ? "text" : "keyword";
            }
        }

        return type;
    }

    [Fact]
    public void Files_Repository_AreTheEventsControlPlaneAndObjectHistoryDashboards()
    {
        Assert.Equal(["control-plane-logs.ndjson", "kubernetes-events.ndjson", "object-history.ndjson"], All.Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(SavedObjectFile))]
    public void Objects_EveryFile_HaveUniqueIdsAndKnownTypes(string file)
    {
        var objects = Named(file).Objects;
        Assert.Equal(objects.Count, objects.Select(Id).Distinct().Count());
        Assert.All(objects, o => Assert.Contains(Type(o), new[] { "index-pattern", "visualization", "search", "dashboard" }));
        Assert.Single(objects, o => Type(o) == "dashboard");
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(SavedObjectFile))]
    public void References_EveryObject_ResolveInsideTheFile(string file)
    {
        var saved = Named(file);
        foreach (var o in saved.Objects)
        {
            foreach (var reference in o["references"]!.AsArray().Select(r => r!.AsObject()))
            {
                var type = reference["type"]!.GetValue<string>();
                var id = reference["id"]!.GetValue<string>();
                Assert.True(saved.Objects.Any(x => Type(x) == type && Id(x) == id), $"{Id(o)} refers to missing {type} {id}");
            }

            // Every indexRefName / panelRefName the object uses is one of its references.
            var names = o["references"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToHashSet();
            if (SearchSource(o) is { } source)
            {
                if (source["indexRefName"] is { } indexRef)
                {
                    Assert.Contains(indexRef.GetValue<string>(), names);
                }

                foreach (var filter in source["filter"]!.AsArray())
                {
                    Assert.Contains(filter!["meta"]!["indexRefName"]!.GetValue<string>(), names);
                }
            }

            foreach (var control in Controls(o))
            {
                Assert.Contains(control["indexPatternRefName"]!.GetValue<string>(), names);
            }

            if (Attributes(o)["savedSearchRefName"] is { } searchRef)
            {
                Assert.Contains(searchRef.GetValue<string>(), names);
            }

            if (Attributes(o)["panelsJSON"] is { } panels)
            {
                var panelRefs = JsonNode.Parse(panels.GetValue<string>())!.AsArray().Select(p => p!["panelRefName"]!.GetValue<string>()).ToList();
                Assert.Equal(names.Order(), panelRefs.Order());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(SavedObjectFile))]
    public void Fields_EveryVisualizationAndSearch_ExistInOurIndexTemplates(string file)
    {
        var saved = Named(file);
        foreach (var o in saved.Objects.Where(o => Type(o) is "visualization" or "search"))
        {
            var pattern = saved.IndexPatternOf(o);
            Assert.NotNull(pattern);
            var templates = TemplatesFor(Attributes(pattern)["title"]!.GetValue<string>());
            foreach (var (field, aggregated, where) in FieldsUsedBy(o))
            {
                var types = templates.Select(t => TypeIn(t, field)).OfType<string>().Distinct().ToList();
                Assert.True(types.Count > 0, $"{Id(o)} uses '{field}' ({where}), which {file}'s index templates do not define");
                // Over several indices, one field with two types is a conflict the index pattern cannot use.
                Assert.True(types.Count == 1, $"{Id(o)} uses '{field}' ({where}), typed {string.Join(" and ", types)} in the indices it reads");
                if (aggregated)
                {
                    Assert.True(IndexTemplateFields.IsAggregatable(types[0]), $"{Id(o)} aggregates on '{field}' of type {types[0]}; use its .keyword");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(SavedObjectFile))]
    public void IndexPatterns_EveryFile_CoverTheIndicesTheFunctionsWrite(string file)
    {
        foreach (var pattern in Named(file).Objects.Where(o => Type(o) == "index-pattern"))
        {
            Assert.Equal("@timestamp", Attributes(pattern)["timeFieldName"]!.GetValue<string>());
            foreach (var title in Attributes(pattern)["title"]!.GetValue<string>().Split(','))
            {
                var template = TemplateFor(title);
                Assert.Equal("date", template.TypeOf("@timestamp"));
                // "eks-kubernetes-events*" covers the template's "eks-kubernetes-events-*".
                Assert.All(template.Patterns, p => Assert.StartsWith(title.TrimEnd('*'), p, StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("kubernetes-events.ndjson", "histogram by type", "total", "warnings", "warnings by namespace", "newest", "top reasons", "warnings by object kind", "by cluster")]
    [InlineData("control-plane-logs.ndjson", "API server - histogram", "Audit - lines", "Audit - top users", "Audit - verbs", "Audit - resources",
        "non-2xx responses", "denied decisions", "Authenticator - access by ARN", "Scheduler - unschedulable pods", "Controller manager - histogram",
        "Cloud controller manager - histogram", "Cloud controller manager - lines")]
    [InlineData("object-history.ndjson", "filters", "timeline by origin", "who changed what", "Object history")]
    public void Dashboard_EachFile_ShowsThePanelsUsersLookFor(string file, params string[] panels)
    {
        var saved = Named(file);
        var dashboard = saved.Objects.Single(o => Type(o) == "dashboard");
        var titles = dashboard["references"]!.AsArray()
            .Select(r => saved.Objects.Single(o => Id(o) == r!["id"]!.GetValue<string>()))
            .Select(o => Attributes(o)["title"]!.GetValue<string>())
            .ToList();
        foreach (var panel in panels)
        {
            Assert.Contains(titles, t => t.EndsWith(panel, StringComparison.Ordinal) || t.Contains($" - {panel}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void WarningFilters_EventsDashboard_MatchThePhraseOnType()
    {
        var warnings = Named("kubernetes-events.ndjson").Objects.Single(o => Id(o) == "eks-history-events-warnings");
        var filter = SearchSource(warnings)!["filter"]![0]!;
        Assert.Equal("Warning", filter["query"]!["match_phrase"]!["type"]!.GetValue<string>());
    }
}
