using TestSupport;

namespace Shared.Contract.Tests.Architecture;

public sealed class LayeringTests
{
    private static readonly string[] ProjectFolders = ["src", "tools", "infra"];

    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var csproj in ProductionProjects())
        {
            data.Add(Path.GetRelativePath(RepositoryRoot.Path, csproj).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Namespaces_OfEachProject_HaveNoCycleButTheKnownOnes(string project)
    {
        var graph = NamespaceGraphReader.ReadProject(Path.GetDirectoryName(Path.Combine(RepositoryRoot.Path, project))!);
        var known = KnownNamespaceCycles.Groups.GetValueOrDefault(Path.GetFileNameWithoutExtension(project), []);

        var groups = graph.FindCycleGroups();

        var added = groups.Where(group => !known.Any(entry => entry.SequenceEqual(group))).ToList();
        Assert.True(added.Count == 0, $"{project} has a namespace cycle: " + string.Join("; ", added.Select(group => string.Join(" -> ", graph.Within(group).FindCycle()!))));
        var cut = known.Where(entry => !groups.Any(group => group.SequenceEqual(entry))).ToList();
        Assert.True(cut.Count == 0, $"{project} no longer has the known cycle(s) {string.Join("; ", cut.Select(entry => string.Join(", ", entry)))}: remove them from KnownNamespaceCycles.");
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ProjectReferences_OfEachProject_PointOnlyToAllowedLayers(string project)
    {
        var name = Path.GetFileNameWithoutExtension(project);
        Assert.True(ProjectLayers.Allowed.TryGetValue(name, out var allowed), $"{project} has no place in ProjectLayers: add it with the projects it may reference.");

        var wrong = ProjectReferenceReader.Read(Path.Combine(RepositoryRoot.Path, project)).Where(reference => !allowed!.Contains(reference)).ToList();

        Assert.True(wrong.Count == 0, $"{project} references {string.Join(", ", wrong)}, which it may not (allowed: {string.Join(", ", allowed!)}).");
    }

    [Fact]
    public void ProjectReferences_AcrossAllProjects_HaveNoCycle()
    {
        var graph = new DependencyGraph();
        foreach (var csproj in ProductionProjects())
        {
            var name = Path.GetFileNameWithoutExtension(csproj);
            graph.AddNode(name);
            foreach (var reference in ProjectReferenceReader.Read(csproj))
            {
                graph.AddEdge(name, reference);
            }
        }

        Assert.Null(graph.FindCycle());
    }

    [Fact]
    public void FindCycle_GraphWithCycle_ReturnsItsPath()
    {
        var graph = new DependencyGraph();
        graph.AddEdge("Root", "A");
        graph.AddEdge("A", "B");
        graph.AddEdge("B", "C");
        graph.AddEdge("C", "A");
        graph.AddEdge("C", "Leaf");

        Assert.Equal(["A", "B", "C", "A"], graph.FindCycle());
    }

    [Fact]
    public void FindCycleGroups_TwoSeparateCycles_ReturnsEachGroup()
    {
        var graph = new DependencyGraph();
        graph.AddEdge("A", "B");
        graph.AddEdge("B", "A");
        graph.AddEdge("B", "C");
        graph.AddEdge("C", "D");
        graph.AddEdge("D", "E");
        graph.AddEdge("E", "C");

        var groups = graph.FindCycleGroups();

        Assert.Equal(2, groups.Count);
        Assert.Equal(["A", "B"], groups[0]);
        Assert.Equal(["C", "D", "E"], groups[1]);
        Assert.Equal(["C", "D", "E", "C"], graph.Within(groups[1]).FindCycle());
    }

    [Fact]
    public void FindCycle_AcyclicGraphWithSharedDependency_ReturnsNull()
    {
        var graph = new DependencyGraph();
        graph.AddEdge("Top", "Left");
        graph.AddEdge("Top", "Right");
        graph.AddEdge("Left", "Bottom");
        graph.AddEdge("Right", "Bottom");

        Assert.Null(graph.FindCycle());
    }

    [Fact]
    public void Read_SourcesThatUseEachOther_FindsTheNamespaceCycle()
    {
        // The shape issue 12 cut: Aws signed through OpenSearch while OpenSearch called Aws.
        string[] sources =
        [
            "using Lib.OpenSearch;\nnamespace Lib.Aws;\npublic sealed class Client { }",
            "using Lib.Aws;\nnamespace Lib.OpenSearch;\npublic sealed class Writer { }",
            "namespace Lib.Logging;\npublic sealed class Logger { }",
        ];

        var cycle = NamespaceGraphReader.Read(sources).FindCycle();

        Assert.Equal(["Lib.Aws", "Lib.OpenSearch", "Lib.Aws"], cycle);
    }

    [Fact]
    public void Read_QualifiedNameFromSiblingNamespace_CountsAsDependency()
    {
        string[] sources =
        [
            "namespace Lib.Aws;\npublic sealed class Service { string Name => Configuration.Names.Region; }",
            "using static Lib.Aws.Service;\nnamespace Lib.Configuration;\npublic static class Names { }",
        ];

        var graph = NamespaceGraphReader.Read(sources);

        Assert.Contains("Lib.Configuration", graph.Edges["Lib.Aws"]);
        Assert.Contains("Lib.Aws", graph.Edges["Lib.Configuration"]);
    }

    [Fact]
    public void Read_TypeOfEnclosingNamespaceUsedUnqualified_CountsAsDependencyButAPrivateNestedNameDoesNot()
    {
        string[] sources =
        [
            "namespace Lib;\npublic sealed class Settings { private sealed record Answer; }",
            "namespace Lib.Handling;\npublic sealed class Handler { Settings S; }",
            "namespace Lib.Reading;\npublic sealed class Reader { const string Answer = \"\"; }",
        ];

        var graph = NamespaceGraphReader.Read(sources);

        Assert.Contains("Lib", graph.Edges["Lib.Handling"]);
        Assert.Empty(graph.Edges["Lib.Reading"]);
    }

    [Fact]
    public void Read_NamespaceNamedInCommentOrString_IsNoDependency()
    {
        string[] sources =
        [
            "namespace Lib.Aws;\n// Lib.OpenSearch.Writer calls us\npublic sealed class Client { string S = \"Lib.OpenSearch.Writer\"; char C = '\"'; }",
            "using Lib.Aws;\nnamespace Lib.OpenSearch;\npublic sealed class Writer { }",
        ];

        var graph = NamespaceGraphReader.Read(sources);

        Assert.Empty(graph.Edges["Lib.Aws"]);
        Assert.Null(graph.FindCycle());
    }

    [Fact]
    public void Parse_Csproj_ReturnsReferencedProjectNames()
    {
        const string csproj = """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../Shared.Aws/Shared.Aws.csproj" />
                <ProjectReference Include="..\Shared.Contract\Shared.Contract.csproj" />
              </ItemGroup>
            </Project>
            """;

        Assert.Equal(["Shared.Aws", "Shared.Contract"], ProjectReferenceReader.Parse(csproj));
    }

    private static IEnumerable<string> ProductionProjects() =>
        ProjectFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Contains("node_modules", StringComparison.Ordinal) && !path.Contains("cdk.out", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
