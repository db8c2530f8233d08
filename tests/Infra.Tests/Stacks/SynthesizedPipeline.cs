using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Infra.Settings;
using Infra.Stacks;

namespace Infra.Tests.Stacks;

/// <summary>
/// The pipeline stack synthesized once for a set of context values, as CDK's <see cref="Template"/> and
/// as the raw CloudFormation JSON. Bundling is skipped (context aws:cdk:bundling-stacks = []), so no test
/// pays for a Native AOT publish; the template is the same apart from the asset hash.
/// </summary>
public sealed class SynthesizedPipeline : IDisposable
{
    /// <summary>The account and region every test stack uses (moto's defaults).</summary>
    public const string Account = "123456789012";

    /// <summary>The region.</summary>
    public const string Region = "us-east-1";

    /// <summary>The prebuilt collector image the tests name (tests of the image asset remove it).</summary>
    public const string TestImage = "eks-history-collector:test";

    /// <summary>The cluster name the tests use.</summary>
    public const string Cluster = "history-test";

    private SynthesizedPipeline(PipelineStack stack, PipelineSettings settings, string outdir)
    {
        Stack = stack;
        Settings = settings;
        Outdir = outdir;
        Template = Template.FromStack(stack);
        TemplatePath = System.IO.Path.Combine(outdir, $"{stack.StackName}.template.json");
        Json = JsonDocument.Parse(File.ReadAllText(TemplatePath)).RootElement.Clone();
    }

    public PipelineStack Stack { get; }
    public PipelineSettings Settings { get; }
    public Template Template { get; }
    public JsonElement Json { get; }
    public string Outdir { get; }
    public string TemplatePath { get; }

    /// <summary>The rendered collector manifest file of this synth.</summary>
    public string ManifestPath => System.IO.Path.Combine(Outdir, "collector.yaml");

    /// <summary>Synthesizes with the test defaults plus <paramref name="context"/>.</summary>
    public static SynthesizedPipeline Create(IDictionary<string, object>? context = null, bool bundle = false)
    {
        var outdir = Directory.CreateTempSubdirectory("infra-tests-").FullName;
        var values = new Dictionary<string, object>
        {
            [PipelineSettings.Keys.ClusterName] = Cluster,
            [PipelineSettings.Keys.CollectorManifestPath] = System.IO.Path.Combine(outdir, "collector.yaml"),
            [PipelineSettings.Keys.CollectorImage] = TestImage,
        };
        if (!bundle)
        {
            values["aws:cdk:bundling-stacks"] = Array.Empty<string>();
        }

        foreach (var (key, value) in context ?? new Dictionary<string, object>())
        {
            values[key] = value;
        }

        var app = new App(new AppProps { Context = values, Outdir = outdir });
        var settings = PipelineSettings.FromContext(app.Node.TryGetContext);
        var stack = new PipelineStack(app, settings.StackName, new PipelineStackProps
        {
            Settings = settings,
            Env = new Amazon.CDK.Environment { Account = Account, Region = Region },
        });
        return new SynthesizedPipeline(stack, settings, outdir);
    }

    /// <summary>Resources of one type, by logical id.</summary>
    public IReadOnlyDictionary<string, JsonElement> Resources(string type)
    {
        var result = new Dictionary<string, JsonElement>();
        foreach (var resource in Json.GetProperty("Resources").EnumerateObject())
        {
            if (resource.Value.GetProperty("Type").GetString() == type)
            {
                result[resource.Name] = resource.Value;
            }
        }

        return result;
    }

    /// <summary>The single resource of a type whose logical id starts with <paramref name="prefix"/>.</summary>
    public (string Id, JsonElement Properties) Single(string type, string prefix = "")
    {
        var matches = Resources(type).Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one {type} starting with '{prefix}', found {matches.Count}: {string.Join(", ", matches.Select(m => m.Key))}");
        return (matches[0].Key, matches[0].Value.GetProperty("Properties"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Outdir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
