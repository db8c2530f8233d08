using Infra.Packaging;

namespace Infra.Tests.Packaging;

/// <summary>The functions' asset hash follows what their publish reads, and nothing else.</summary>
public sealed class SourceFingerprintTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fingerprint-").FullName;

    public SourceFingerprintTests()
    {
        Write("global.json", """{ "sdk": { "version": "10.0.100" } }""");
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Packages.props", "<Project />");
        Write(".editorconfig", "root = true\n");
        Write("README.md", "# readme\n");
        Write("docs/deploy.md", "docs\n");
        Write("src/Shared/Shared.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("src/Shared/Events/Event.cs", "class Event {}\n");
        Write("src/Deeper/Deeper.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("src/Deeper/Deep.cs", "class Deep {}\n");
        Write("src/Shared/Shared.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><ProjectReference Include="..\Deeper\Deeper.csproj" /></ItemGroup>
            </Project>
            """);
        Write("src/Fn/Fn.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><ProjectReference Include="../Shared/Shared.csproj" /></ItemGroup>
            </Project>
            """);
        Write("src/Fn/Function.cs", "class Function {}\n");
        Write("src/Other/Other.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write("src/Other/Other.cs", "class Other {}\n");
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string Fingerprint() => SourceFingerprint.Of(_root, "Fn");

    [Theory]
    [InlineData("src/Fn/Function.cs")]
    [InlineData("src/Fn/New.cs")]
    [InlineData("src/Shared/Events/Event.cs")]
    [InlineData("src/Deeper/Deep.cs")]
    [InlineData("global.json")]
    [InlineData("Directory.Packages.props")]
    [InlineData(".editorconfig")]
    [InlineData("src/Directory.Build.props")]
    public void Of_BuildInputChanged_Changes(string relative)
    {
        var before = Fingerprint();
        Write(relative, "changed\n");
        Assert.NotEqual(before, Fingerprint());
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/deploy.md")]
    [InlineData("src/Other/Other.cs")]
    [InlineData("src/Fn/bin/Release/bootstrap")]
    [InlineData("src/Shared/obj/project.assets.json")]
    [InlineData("tests/Fn.Tests/Test.cs")]
    public void Of_FileThePublishDoesNotRead_StaysTheSame(string relative)
    {
        var before = Fingerprint();
        Write(relative, "changed\n");
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public void Of_WindowsLineEndings_SameAsLinux()
    {
        var before = Fingerprint();
        Write("src/Fn/Function.cs", "class Function {}\r\n");
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public void Of_ProjectMissing_FailsNamingIt()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => SourceFingerprint.Of(_root, "Missing"));
        Assert.Contains("Missing.csproj", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_FileIncludedFromOutsideTheProject_ChangesWhenItOrItsFolderDoes()
    {
        Write("src/Shared/Shared.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><EmbeddedResource Include="../../dashboards/*.ndjson" /></ItemGroup>
            </Project>
            """);
        Write("dashboards/a.ndjson", "{}\n");
        Write("dashboards/notes.txt", "not built in\n");
        var before = Fingerprint();

        Write("dashboards/notes.txt", "still not built in\n");
        Assert.Equal(before, Fingerprint());
        Write("dashboards/a.ndjson", "{\"changed\":true}\n");
        var edited = Fingerprint();
        Assert.NotEqual(before, edited);
        Write("dashboards/b.ndjson", "{}\n");
        Assert.NotEqual(edited, Fingerprint());
    }

    [Fact]
    public void Of_SetupFunction_CoversTheDashboardsAndTemplatesItBuildsIn()
    {
        // The real projects, copied: SetupFunction carries dashboards/*.ndjson and both index templates inside its
        // bootstrap (src/DomainSetup embeds them), so a changed dashboard must give a new asset, or the Update that
        // the changed AssetsHash triggers would run the old files.
        var repository = RepositoryPaths.Combine();
        foreach (var folder in new[] { "src/SetupFunction", "src/DomainSetup", "src/Shared.Contract", "src/Shared.Logging", "src/Shared.Aws", "src/Functions.Runtime", "src/Shared.OpenSearch", "dashboards", "src/IndexerFunction/OpenSearch", "src/ControlPlaneLogsFunction/OpenSearch" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, folder), "*", SearchOption.AllDirectories)
                         .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)))
            {
                Write(Path.GetRelativePath(repository, file), File.ReadAllText(file));
            }
        }

        var before = SourceFingerprint.Of(_root, "SetupFunction");
        Write("dashboards/kubernetes-events.ndjson", File.ReadAllText(Path.Combine(repository, "dashboards", "kubernetes-events.ndjson")) + "\n");
        var dashboardChanged = SourceFingerprint.Of(_root, "SetupFunction");
        Write("src/ControlPlaneLogsFunction/OpenSearch/eks-control-plane-logs.template.json", "{}");

        Assert.NotEqual(before, dashboardChanged);
        Assert.NotEqual(dashboardChanged, SourceFingerprint.Of(_root, "SetupFunction"));
    }

    [Fact]
    public void Of_RepositoryFunctions_DifferAndAreStable()
    {
        var root = RepositoryPaths.Combine();
        var indexer = SourceFingerprint.Of(root, "IndexerFunction");
        Assert.Equal(indexer, SourceFingerprint.Of(root, "IndexerFunction"));
        Assert.NotEqual(indexer, SourceFingerprint.Of(root, "ControlPlaneLogsFunction"));
        Assert.Matches("^[0-9a-f]{64}$", indexer);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
