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
        await AwsAsync("s3api", "create-bucket", "--bucket", AssetBucket);
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

    [Fact]
    public async Task CreateStack_SynthesizedTemplate_ReachesCreateCompleteAndMapsTheQueueToTheIndexer()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["prebuiltFunctionsDir"] = _prebuilt,
            ["openSearchEndpoint"] = "search-demo.us-east-1.es.amazonaws.com",
            ["alarmEmail"] = "ops@example.com",
        });
        await UploadAssetsAsync(pipeline);

        await AwsAsync("cloudformation", "create-stack", "--stack-name", "EksHistory",
            "--template-body", $"file://{pipeline.TemplatePath}",
            "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM");
        string status = "";
        for (var attempt = 0; attempt < 120; attempt++)
        {
            using var stacks = JsonDocument.Parse(await AwsAsync("cloudformation", "describe-stacks", "--stack-name", "EksHistory"));
            status = stacks.RootElement.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString()!;
            if (!status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal("CREATE_COMPLETE", status);

        var described = await AwsAsync("cloudformation", "describe-stack-resources", "--stack-name", "EksHistory");
        using var resources = JsonDocument.Parse(described);
        var indexer = resources.RootElement.GetProperty("StackResources").EnumerateArray()
            .Where(r => r.TryGetProperty("LogicalResourceId", out var id) && id.GetString() == "IndexerFunction")
            .ToList();
        Assert.True(indexer.Count == 1, described);
        var indexerName = indexer[0].GetProperty("PhysicalResourceId").GetString()!;

        using var mappings = JsonDocument.Parse(await AwsAsync("lambda", "list-event-source-mappings", "--function-name", indexerName));
        var mapping = Assert.Single(mappings.RootElement.GetProperty("EventSourceMappings").EnumerateArray());
        Assert.EndsWith($":function:{indexerName}", mapping.GetProperty("FunctionArn").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(":history-test-eks-history-events", mapping.GetProperty("EventSourceArn").GetString(), StringComparison.Ordinal);
        Assert.Equal("ReportBatchItemFailures", mapping.GetProperty("FunctionResponseTypes")[0].GetString());

        // The control-plane function consumes its own on-failure queue, which redrives to a DLQ of its own.
        var controlPlaneName = resources.RootElement.GetProperty("StackResources").EnumerateArray()
            .Single(r => r.TryGetProperty("LogicalResourceId", out var id) && id.GetString() == "ControlPlaneLogsFunction").GetProperty("PhysicalResourceId").GetString()!;
        using var failureMappings = JsonDocument.Parse(await AwsAsync("lambda", "list-event-source-mappings", "--function-name", controlPlaneName));
        var failureMapping = Assert.Single(failureMappings.RootElement.GetProperty("EventSourceMappings").EnumerateArray());
        Assert.Equal("ReportBatchItemFailures", failureMapping.GetProperty("FunctionResponseTypes")[0].GetString());
        var failureQueueName = failureMapping.GetProperty("EventSourceArn").GetString()!.Split(':')[^1];
        using var failureQueue = JsonDocument.Parse(await AwsAsync("sqs", "get-queue-attributes",
            "--queue-url", $"{_moto.Server.Endpoint.ToString().TrimEnd('/')}/123456789012/{failureQueueName}", "--attribute-names", "All"));
        using var failureRedrive = JsonDocument.Parse(failureQueue.RootElement.GetProperty("Attributes").GetProperty("RedrivePolicy").GetString()!);
        Assert.Equal("5", failureRedrive.RootElement.GetProperty("maxReceiveCount").ToString());

        using var function = JsonDocument.Parse(await AwsAsync("lambda", "get-function-configuration", "--function-name", indexerName));
        Assert.Equal("provided.al2023", function.RootElement.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.RootElement.GetProperty("Handler").GetString());

        using var host = JsonDocument.Parse(await AwsAsync("ssm", "get-parameter", "--name", "/eksworkshop/history-test/opensearch/host"));
        Assert.Equal("search-demo.us-east-1.es.amazonaws.com", host.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());

        using var attributes = JsonDocument.Parse(await AwsAsync("sqs", "get-queue-attributes",
            "--queue-url", $"{_moto.Server.Endpoint.ToString().TrimEnd('/')}/123456789012/history-test-eks-history-events", "--attribute-names", "All"));
        var redrive = attributes.RootElement.GetProperty("Attributes").GetProperty("RedrivePolicy").GetString()!;
        Assert.Contains("history-test-eks-history-events-dlq", redrive, StringComparison.Ordinal);
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
