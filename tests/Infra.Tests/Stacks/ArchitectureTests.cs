using System.Text.Json;
using Infra.Collector;

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
}
