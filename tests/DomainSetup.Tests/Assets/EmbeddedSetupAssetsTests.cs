using DomainSetup.Assets;
using DomainSetup.Setup;
using TestSupport;

namespace DomainSetup.Tests.Assets;

public sealed class EmbeddedSetupAssetsTests
{
    [Fact]
    public void Template_BuiltIn_IsByteForByteTheFunctionsOwnFile()
    {
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "src", "IndexerFunction", "OpenSearch", SetupOptions.EventsTemplateFile)),
            EmbeddedSetupAssets.Instance.Template(SetupOptions.EventsTemplateFile).Content);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "src", "ControlPlaneLogsFunction", "OpenSearch", SetupOptions.ControlPlaneTemplateFile)),
            EmbeddedSetupAssets.Instance.Template(SetupOptions.ControlPlaneTemplateFile).Content);
    }

    [Fact]
    public void SavedObjects_BuiltIn_AreEveryDashboardsFileOfTheRepository()
    {
        var repository = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "dashboards"), "*.ndjson").Order(StringComparer.Ordinal).ToList();

        var builtIn = EmbeddedSetupAssets.Instance.SavedObjects();

        Assert.Equal(repository.Select(Path.GetFileName), builtIn.Select(a => a.FileName));
        Assert.All(builtIn, a => Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "dashboards", a.FileName)), a.Content));
    }

    [Fact]
    public void Template_UnknownName_FailsNamingIt()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => EmbeddedSetupAssets.Instance.Template("nope.template.json"));
        Assert.Contains("nope.template.json", ex.Message, StringComparison.Ordinal);
    }
}
