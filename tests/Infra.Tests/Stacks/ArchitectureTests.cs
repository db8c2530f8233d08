using System.Text.Json;
using Infra.Collector;
using Shared.Contract.Settings;

namespace Infra.Tests.Stacks;

/// <summary>architecture=arm64 as a first-class choice: both functions, the collector's image and its scheduling.</summary>
public sealed class ArchitectureTests
{
    private static IReadOnlyList<string> NodeArchitectures(string manifestPath)
    {
        var deployment = CollectorManifest.ToObjects(File.ReadAllText(manifestPath)).Single(o => (string)o["kind"] == "Deployment");
        IDictionary<string, object> Map(IDictionary<string, object> o, string key) => (IDictionary<string, object>)o[key];
        var pod = Map(Map(Map(deployment, "spec"), "template"), "spec");
        var term = (IDictionary<string, object>)((object[])Map(Map(Map(pod, "affinity"), "nodeAffinity"), "requiredDuringSchedulingIgnoredDuringExecution")["nodeSelectorTerms"])[0];
        var expression = (IDictionary<string, object>)((object[])term["matchExpressions"])[0];
        Assert.Equal("kubernetes.io/arch", expression["key"]);
        Assert.Equal("In", expression["operator"]);
        return ((object[])expression["values"]).Cast<string>().ToList();
    }

    private static string ImagePlatform(SynthesizedPipeline pipeline)
    {
        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(pipeline.Outdir, $"{pipeline.Stack.StackName}.assets.json")));
        return Assert.Single(assets.RootElement.GetProperty("dockerImages").EnumerateObject()).Value.GetProperty("source").GetProperty("platform").GetString()!;
    }

    [Theory]
    [InlineData("x86_64", "linux/amd64", "amd64")]
    [InlineData("arm64", "linux/arm64", "arm64")]
    public void Synth_Architecture_FunctionsImageAndCollectorNodesAllFollowIt(string architecture, string platform, string node)
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["architecture"] = architecture,
            ["collectorImage"] = "",
        });
        foreach (var function in new[] { "IndexerFunction", "ControlPlaneLogsFunction" })
        {
            var properties = pipeline.Json.GetProperty("Resources").GetProperty(function).GetProperty("Properties");
            Assert.Equal(architecture, Assert.Single(properties.GetProperty("Architectures").EnumerateArray()).GetString());
            Assert.Equal("provided.al2023", properties.GetProperty("Runtime").GetString());
        }

        Assert.Equal(platform, ImagePlatform(pipeline));
        Assert.Equal([node], NodeArchitectures(pipeline.ManifestPath));
    }

    [Fact]
    public void Synth_Arm64FunctionsWithX86Collector_BuildsTheCollectorForItsNodes()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["architecture"] = "arm64",
            ["collectorArchitecture"] = "x86_64",
            ["collectorImage"] = "",
        });
        Assert.Equal("linux/amd64", ImagePlatform(pipeline));
        Assert.Equal(["amd64"], NodeArchitectures(pipeline.ManifestPath));
    }

    [Fact]
    public void Synth_MultiArchCollectorImage_SchedulesOnBothNodeArchitectures()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["collectorArchitecture"] = "multi",
            ["collectorImage"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/collector:1",
        });
        Assert.Equal(["amd64", "arm64"], NodeArchitectures(pipeline.ManifestPath));
    }

    [Theory]
    [InlineData("x86_64", "linux-x64")]
    [InlineData("arm64", "linux-arm64")]
    public void Synth_PrebuiltDirectoryWithoutBootstrap_NamesThePublishForTheChosenArchitecture(string architecture, string runtime)
    {
        var empty = Directory.CreateTempSubdirectory("prebuilt-empty-").FullName;
        try
        {
            var ex = Assert.Throws<ConfigurationException>(() => SynthesizedPipeline.Create(new Dictionary<string, object>
            {
                ["architecture"] = architecture,
                ["prebuiltFunctionsDir"] = empty,
            }));
            Assert.Equal("prebuiltFunctionsDir", ex.Setting);
            Assert.Contains($"-c Release -r {runtime} ", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void Synth_PrebuiltBootstrapOfTheOtherArchitecture_IsRefusedBeforeItReachesLambda()
    {
        var prebuilt = Directory.CreateTempSubdirectory("prebuilt-x64-").FullName;
        try
        {
            // The ELF header of an x86-64 executable: what `dotnet publish -r linux-x64` writes.
            var header = new byte[64];
            "\u007fELF"u8.CopyTo(header);
            header[4] = 2;
            header[5] = 1;
            header[18] = 62;
            foreach (var project in new[] { "IndexerFunction", "ControlPlaneLogsFunction" })
            {
                Directory.CreateDirectory(Path.Combine(prebuilt, project));
                File.WriteAllBytes(Path.Combine(prebuilt, project, "bootstrap"), header);
            }

            var ex = Assert.Throws<ConfigurationException>(() => SynthesizedPipeline.Create(new Dictionary<string, object>
            {
                ["architecture"] = "arm64",
                ["prebuiltFunctionsDir"] = prebuilt,
            }));
            Assert.Equal("prebuiltFunctionsDir", ex.Setting);
            Assert.Contains("is an x86_64 executable, not arm64 (linux-arm64)", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(prebuilt, recursive: true);
        }
    }
}
