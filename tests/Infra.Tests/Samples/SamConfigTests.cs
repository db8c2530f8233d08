using System.IO.Compression;
using System.Text.Json;
using Infra.Tests.Stacks;
using Tomlyn;
using Tomlyn.Model;

namespace Infra.Tests.Samples;

public sealed class SamConfigTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private readonly SynthesizedPipeline _pipeline = fixture.Pipeline;

    private static TomlTable Config() => TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(RepositoryPaths.Combine("samconfig.toml")))!;

    /// <summary>Every [env.command.parameters] table.</summary>
    private static IEnumerable<(string Env, string Command, TomlTable Parameters)> Sections() =>
        from env in Config().Where(p => p.Value is TomlTable)
        from command in ((TomlTable)env.Value).Where(p => p.Value is TomlTable)
        select (env.Key, command.Key, (TomlTable)((TomlTable)command.Value)["parameters"]);

    [Fact]
    public void TemplateFile_EverySection_IsTheTemplateTheCdkCliSynthesizes()
    {
        var sections = Sections().ToList();
        Assert.Contains(sections, s => s.Command == "deploy");
        Assert.All(sections, s =>
        {
            var path = (string)s.Parameters["template_file"];
            // The CLI runs the app in infra/cdk and writes cdk.out there.
            Assert.Equal("infra/cdk/cdk.out", Path.GetDirectoryName(path)!.Replace('\\', '/'));
            Assert.Equal(Path.GetFileName(_pipeline.TemplatePath), Path.GetFileName(path));
        });
        Assert.Equal(_pipeline.Stack.StackName, (string)Sections().Single(s => s.Command == "deploy").Parameters["stack_name"]);
    }

    [Fact]
    public void LocalInvoke_EveryEnv_NamesAFunctionOfTheTemplateAndAnEventThatExists()
    {
        var invokes = Sections().Where(s => s.Command == "local_invoke").ToList();
        Assert.Equal(["ControlPlaneLogsFunction", "IndexerFunction"], invokes.Select(s => s.Env).Order());
        var functions = _pipeline.Resources("AWS::Lambda::Function").Keys.ToHashSet();
        Assert.All(invokes, s =>
        {
            Assert.Contains(s.Env, functions);
            Assert.True(File.Exists(RepositoryPaths.Combine((string)s.Parameters["event"])), $"{s.Parameters["event"]} is missing");
        });
    }

    [Fact]
    public void SqsEvents_Sample_HoldsAnEnvelopeAndABareListForTheIndexer()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("events", "sqs-events.json")));
        var records = sample.RootElement.GetProperty("Records").EnumerateArray().ToList();
        Assert.All(records, r => Assert.Equal("aws:sqs", r.GetProperty("eventSource").GetString()));
        using var envelope = JsonDocument.Parse(records[0].GetProperty("body").GetString()!);
        Assert.Equal("eks-events/v1", envelope.RootElement.GetProperty("schema").GetString());
        Assert.Equal(2, envelope.RootElement.GetProperty("events").GetArrayLength());
        using var list = JsonDocument.Parse(records[1].GetProperty("body").GetString()!);
        Assert.Equal("EventList", list.RootElement.GetProperty("kind").GetString());
        Assert.Equal("String", records[1].GetProperty("messageAttributes").GetProperty("clusterName").GetProperty("dataType").GetString());
    }

    [Theory]
    [InlineData("cloudwatch-logs-audit.json", "kube-apiserver-audit-")]
    [InlineData("cloudwatch-logs-scheduler.json", "kube-scheduler-")]
    [InlineData("cloudwatch-logs-authenticator.json", "authenticator-")]
    public void ControlPlaneEvents_Samples_DecodeToAClusterLogGroupDataMessage(string file, string streamPrefix)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("events", file)));
        var compressed = Convert.FromBase64String(sample.RootElement.GetProperty("awslogs").GetProperty("data").GetString()!);
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var data = JsonDocument.Parse(gzip);
        Assert.Equal("DATA_MESSAGE", data.RootElement.GetProperty("messageType").GetString());
        Assert.Matches("^/aws/eks/[^/]+/cluster$", data.RootElement.GetProperty("logGroup").GetString());
        Assert.StartsWith(streamPrefix, data.RootElement.GetProperty("logStream").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(data.RootElement.GetProperty("logEvents").EnumerateArray());
    }
}
