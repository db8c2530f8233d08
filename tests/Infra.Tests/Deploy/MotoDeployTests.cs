using System.IO.Compression;
using System.Text.Json;
using Infra.Tests.Stacks;
using TestSupport.Moto;

namespace Infra.Tests.Deploy;

/// <summary>
/// Deploys the synthesized template with its assets into moto_server's CloudFormation, the way the CDK
/// CLI would (assets in the bootstrap bucket, the bootstrap version in SSM), and checks what got created.
/// The functions' code is a stand-in bootstrap: moto stores it but does not run it.
/// </summary>
public sealed class MotoDeployTests : IClassFixture<MotoFixture>, IDisposable
{
    private const string AssetBucket = "cdk-hnb659fds-assets-123456789012-us-east-1";
    private readonly MotoFixture _moto;
    private readonly string _prebuilt;

    public MotoDeployTests(MotoFixture moto)
    {
        _moto = moto;
        _prebuilt = Directory.CreateTempSubdirectory("infra-prebuilt-").FullName;
        foreach (var project in new[] { "IndexerFunction", "ControlPlaneLogsFunction" })
        {
            Directory.CreateDirectory(Path.Combine(_prebuilt, project));
            File.WriteAllText(Path.Combine(_prebuilt, project, "bootstrap"), "#!/bin/sh\necho stand-in\n");
        }
    }

    private async Task<string> AwsAsync(params string[] arguments)
    {
        // The endpoint is named on every call as well as in the environment: for some commands (SQS with
        // a queue URL) AWS CLI v1 derives the endpoint itself, and no test may reach beyond 127.0.0.1.
        var result = await CommandLine.RunAsync("aws", [.. arguments, "--endpoint-url", _moto.Server.Endpoint.ToString().TrimEnd('/')], _moto.Server.Environment);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Error}\n{result.Output}");
        return result.Output;
    }

    private async Task UploadAssetsAsync(SynthesizedPipeline pipeline)
    {
        // One moto serves every test of the class: the bootstrap bucket may already be there.
        var exists = await CommandLine.RunAsync("aws", ["s3api", "head-bucket", "--bucket", AssetBucket, "--endpoint-url", _moto.Server.Endpoint.ToString().TrimEnd('/')], _moto.Server.Environment);
        if (exists.ExitCode != 0)
        {
            await AwsAsync("s3api", "create-bucket", "--bucket", AssetBucket);
        }

        await AwsAsync("ssm", "put-parameter", "--name", "/cdk-bootstrap/hnb659fds/version", "--type", "String", "--value", "21", "--overwrite");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(pipeline.Outdir, $"{pipeline.Stack.StackName}.assets.json")));
        foreach (var asset in manifest.RootElement.GetProperty("files").EnumerateObject())
        {
            var source = asset.Value.GetProperty("source");
            var path = Path.Combine(pipeline.Outdir, source.GetProperty("path").GetString()!);
            var upload = path;
            if (source.TryGetProperty("packaging", out var packaging) && packaging.GetString() == "zip")
            {
                upload = Path.Combine(Path.GetTempPath(), $"{asset.Name}-{Guid.NewGuid():N}.zip");
                ZipFile.CreateFromDirectory(path, upload);
            }

            foreach (var destination in asset.Value.GetProperty("destinations").EnumerateObject())
            {
                var bucket = destination.Value.GetProperty("bucketName").GetString()!;
                var key = destination.Value.GetProperty("objectKey").GetString()!;
                Assert.Equal(AssetBucket, bucket);
                await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", upload);
            }
        }
    }

    [Theory]
    [InlineData("x86_64", "history-test", "EksHistory")]
    [InlineData("arm64", "history-arm", "EksHistoryArm")]
    public async Task CreateStack_SynthesizedTemplate_ReachesCreateCompleteAndMapsTheQueueToTheIndexer(string architecture, string cluster, string stackName)
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["clusterName"] = cluster,
            ["stackName"] = stackName,
            ["architecture"] = architecture,
            ["prebuiltFunctionsDir"] = _prebuilt,
            ["openSearchEndpoint"] = "search-demo.us-east-1.es.amazonaws.com",
            ["alarmEmail"] = "ops@example.com",
        });
        await UploadAssetsAsync(pipeline);

        await AwsAsync("cloudformation", "create-stack", "--stack-name", stackName,
            "--template-body", $"file://{pipeline.TemplatePath}",
            "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
        string status = "";
        for (var attempt = 0; attempt < 120; attempt++)
        {
            using var stacks = JsonDocument.Parse(await AwsAsync("cloudformation", "describe-stacks", "--stack-name", stackName));
            status = stacks.RootElement.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString()!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal("CREATE_COMPLETE", status);

        var described = await AwsAsync("cloudformation", "describe-stack-resources", "--stack-name", stackName);
        using var resources = JsonDocument.Parse(described);
        var indexer = resources.RootElement.GetProperty("StackResources").EnumerateArray()
            .Where(r => r.TryGetProperty("LogicalResourceId", out var id) && id.GetString() == "IndexerFunction")
            .ToList();
        Assert.True(indexer.Count == 1, described);
        var indexerName = indexer[0].GetProperty("PhysicalResourceId").GetString()!;

        using var mappings = JsonDocument.Parse(await AwsAsync("lambda", "list-event-source-mappings", "--function-name", indexerName));
        var mapping = Assert.Single(mappings.RootElement.GetProperty("EventSourceMappings").EnumerateArray());
        Assert.EndsWith($":function:{indexerName}", mapping.GetProperty("FunctionArn").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($":{cluster}-eks-history-events", mapping.GetProperty("EventSourceArn").GetString(), StringComparison.Ordinal);
        Assert.Equal("ReportBatchItemFailures", mapping.GetProperty("FunctionResponseTypes")[0].GetString());

        using var function = JsonDocument.Parse(await AwsAsync("lambda", "get-function-configuration", "--function-name", indexerName));
        Assert.Equal("provided.al2023", function.RootElement.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.RootElement.GetProperty("Handler").GetString());
        // moto (5.2) drops Architectures when CloudFormation creates a function, so the architecture the
        // stack asked for is read from the deployed template, not from moto's function.
        Assert.Equal(architecture, pipeline.Json.GetProperty("Resources").GetProperty("IndexerFunction").GetProperty("Properties").GetProperty("Architectures")[0].GetString());

        using var host = JsonDocument.Parse(await AwsAsync("ssm", "get-parameter", "--name", $"/eksworkshop/{cluster}/opensearch/host"));
        Assert.Equal("search-demo.us-east-1.es.amazonaws.com", host.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());

        using var attributes = JsonDocument.Parse(await AwsAsync("sqs", "get-queue-attributes",
            "--queue-url", $"{_moto.Server.Endpoint.ToString().TrimEnd('/')}/123456789012/{cluster}-eks-history-events", "--attribute-names", "All"));
        var redrive = attributes.RootElement.GetProperty("Attributes").GetProperty("RedrivePolicy").GetString()!;
        Assert.Contains($"{cluster}-eks-history-events-dlq", redrive, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_prebuilt, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
