using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Tests.Stacks;
using TestSupport.Moto;
using TestSupport.Processes;

namespace Infra.Tests.Deploy;

/// <summary>
/// Deploys the synthesized template with its assets into moto_server's CloudFormation, the way the CDK CLI would
/// (assets in the bootstrap bucket, the bootstrap version in SSM), for each way users deploy: the default, arm64,
/// a VPC domain and OpenSearch Serverless. The functions' code is a stand-in bootstrap: moto stores it but cannot
/// run it (no Docker engine). So the stack's custom resources, which moto leaves waiting for their function's
/// answer, are answered the way Lambda would: the published SetupFunction bootstrap runs here on the request
/// CloudFormation sends, with the deployed function's environment, and PUTs its answer to moto's own response URL.
/// </summary>
/// <remarks>
/// What moto does not create, checked in the template instead (Infra.Tests.Stacks): the Serverless data access
/// policy (moto's CloudFormation skips AWS::OpenSearchServerless::*), a security group's egress rules (ignored,
/// the default allow-all stays), the subscription filter (reported created, never made), and whether a function
/// in a VPC can reach anything (moto runs no function).
/// </remarks>
public sealed class MotoDeployTests : IClassFixture<MotoFixture>, IDisposable
{
    private const string AssetBucket = "cdk-hnb659fds-assets-123456789012-us-east-1";
    private readonly MotoFixture _moto;
    private readonly string _prebuilt;

    public MotoDeployTests(MotoFixture moto)
    {
        _moto = moto;
        _prebuilt = Directory.CreateTempSubdirectory("infra-prebuilt-").FullName;
        foreach (var project in new[] { "IndexerFunction", "ControlPlaneLogsFunction", "SetupFunction" })
        {
            Directory.CreateDirectory(Path.Combine(_prebuilt, project));
            File.WriteAllText(Path.Combine(_prebuilt, project, "bootstrap"), "#!/bin/sh\necho stand-in\n");
        }
    }

    private string MotoUrl => _moto.Server.Endpoint.ToString().TrimEnd('/');

    private async Task<string> AwsAsync(params string[] arguments)
    {
        // The endpoint is named on every call as well as in the environment: for some commands (SQS with
        // a queue URL) AWS CLI v1 derives the endpoint itself, and no test may reach beyond 127.0.0.1.
        var result = await CommandLine.RunAsync("aws", [.. arguments, "--endpoint-url", MotoUrl], _moto.Server.Environment);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Error}\n{result.Output}");
        return result.Output;
    }

    private async Task UploadAssetsAsync(SynthesizedPipeline pipeline)
    {
        // One moto serves every test of the class: the bootstrap bucket may already be there.
        var exists = await CommandLine.RunAsync("aws", ["s3api", "head-bucket", "--bucket", AssetBucket, "--endpoint-url", MotoUrl], _moto.Server.Environment);
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

    private async Task<JsonElement> StackAsync(string stackName)
    {
        using var stacks = JsonDocument.Parse(await AwsAsync("cloudformation", "describe-stacks", "--stack-name", stackName));
        return stacks.RootElement.GetProperty("Stacks")[0].Clone();
    }

    private async Task<Dictionary<string, string>> PhysicalIdsAsync(string stackName)
    {
        using var resources = JsonDocument.Parse(await AwsAsync("cloudformation", "describe-stack-resources", "--stack-name", stackName));
        return resources.RootElement.GetProperty("StackResources").EnumerateArray()
            .Where(r => r.TryGetProperty("PhysicalResourceId", out _))
            .ToDictionary(r => r.GetProperty("LogicalResourceId").GetString()!, r => r.GetProperty("PhysicalResourceId").GetString()!);
    }

    /// <summary>
    /// Answers every custom resource of the stack as Lambda would run SetupFunction: the published bootstrap, the
    /// deployed function's environment (its Refs resolved), the request CloudFormation sends, moto's response URL.
    /// </summary>
    private async Task AnswerCustomResourcesAsync(SynthesizedPipeline pipeline, string stackName, string stackId)
    {
        var customResources = pipeline.Json.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString()!.StartsWith("Custom::", StringComparison.Ordinal))
            .ToList();
        if (customResources.Count == 0)
        {
            return;
        }

        var bootstrap = await PublishedFunction.EnsureAsync("SetupFunction");
        var physicalIds = await PhysicalIdsAsync(stackName);
        var environment = new Dictionary<string, string>(_moto.Server.Environment) { ["AWS_LAMBDA_FUNCTION_NAME"] = physicalIds["SetupFunction"] };
        var deployed = pipeline.Json.GetProperty("Resources").GetProperty("SetupFunction").GetProperty("Properties");
        if (deployed.TryGetProperty("Environment", out var variables))
        {
            foreach (var variable in variables.GetProperty("Variables").EnumerateObject())
            {
                environment[variable.Name] = variable.Value.ValueKind == JsonValueKind.String
                    ? variable.Value.GetString()!
                    : physicalIds[variable.Value.GetProperty("Ref").GetString()!];
            }
        }

        foreach (var resource in customResources)
        {
            var request = new JsonObject
            {
                ["RequestType"] = "Create",
                ["ResponseURL"] = $"{MotoUrl}/cloudformation_us-east-1/cfnresponse?stack={Uri.EscapeDataString(stackId)}",
                ["StackId"] = stackId,
                ["RequestId"] = Guid.NewGuid().ToString(),
                ["ResourceType"] = resource.Value.GetProperty("Type").GetString(),
                ["LogicalResourceId"] = resource.Name,
                ["ResourceProperties"] = JsonNode.Parse(resource.Value.GetProperty("Properties").GetRawText()),
            };
            var eventFile = Path.Combine(pipeline.Outdir, $"{resource.Name}.event.json");
            await File.WriteAllTextAsync(eventFile, request.ToJsonString());
            await using var process = FunctionProcess.Start(bootstrap, environment, "--event", eventFile, "--timeout", "120");
            var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));
            Assert.True(exitCode == 0, $"SetupFunction on {resource.Name} exited {exitCode}:\n{string.Join('\n', process.StandardError)}");
        }
    }

    private async Task<(JsonElement Stack, Dictionary<string, string> PhysicalIds)> DeployAsync(SynthesizedPipeline pipeline, string stackName)
    {
        await UploadAssetsAsync(pipeline);
        using var created = JsonDocument.Parse(await AwsAsync("cloudformation", "create-stack", "--stack-name", stackName,
            "--template-body", $"file://{pipeline.TemplatePath}",
            "--capabilities", "CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"));
        var stackId = created.RootElement.GetProperty("StackId").GetString()!;
        await AnswerCustomResourcesAsync(pipeline, stackName, stackId);

        var stack = await StackAsync(stackName);
        for (var attempt = 0; attempt < 120 && stack.GetProperty("StackStatus").GetString()!.EndsWith("_IN_PROGRESS", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            stack = await StackAsync(stackName);
        }

        Assert.Equal("CREATE_COMPLETE", stack.GetProperty("StackStatus").GetString());
        return (stack, await PhysicalIdsAsync(stackName));
    }

    private static string Output(JsonElement stack, string key) =>
        stack.GetProperty("Outputs").EnumerateArray().Single(o => o.GetProperty("OutputKey").GetString() == key).GetProperty("OutputValue").GetString()!;

    private Dictionary<string, object> Context(string cluster, string stackName, params (string Key, object Value)[] extra)
    {
        var context = new Dictionary<string, object>
        {
            ["clusterName"] = cluster,
            ["stackName"] = stackName,
            ["prebuiltFunctionsDir"] = _prebuilt,
            ["openSearchEndpoint"] = "search-demo.us-east-1.es.amazonaws.com",
            ["alarmEmail"] = "ops@example.com",
        };
        foreach (var (key, value) in extra)
        {
            context[key] = value;
        }

        return context;
    }

    private async Task AssertQueueMappedToIndexerAsync(string cluster, Dictionary<string, string> physicalIds)
    {
        var indexerName = physicalIds["IndexerFunction"];
        using var mappings = JsonDocument.Parse(await AwsAsync("lambda", "list-event-source-mappings", "--function-name", indexerName));
        var mapping = Assert.Single(mappings.RootElement.GetProperty("EventSourceMappings").EnumerateArray());
        Assert.EndsWith($":function:{indexerName}", mapping.GetProperty("FunctionArn").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($":{cluster}-eks-history-events", mapping.GetProperty("EventSourceArn").GetString(), StringComparison.Ordinal);
        Assert.Equal("ReportBatchItemFailures", mapping.GetProperty("FunctionResponseTypes")[0].GetString());

        using var attributes = JsonDocument.Parse(await AwsAsync("sqs", "get-queue-attributes",
            "--queue-url", $"{MotoUrl}/123456789012/{cluster}-eks-history-events", "--attribute-names", "All"));
        var redrive = attributes.RootElement.GetProperty("Attributes").GetProperty("RedrivePolicy").GetString()!;
        Assert.Contains($"{cluster}-eks-history-events-dlq", redrive, StringComparison.Ordinal);
        // The control-plane dead-letter queue has the fixed name verify looks for.
        await AwsAsync("sqs", "get-queue-url", "--queue-name", Infra.Stacks.PipelineStack.ControlPlaneDeadLetterQueueName(cluster));

        // The control-plane function consumes its own on-failure queue, which redrives to a DLQ of its own.
        var controlPlaneName = physicalIds["ControlPlaneLogsFunction"];
        using var failureMappings = JsonDocument.Parse(await AwsAsync("lambda", "list-event-source-mappings", "--function-name", controlPlaneName));
        var failureMapping = Assert.Single(failureMappings.RootElement.GetProperty("EventSourceMappings").EnumerateArray());
        Assert.Equal("ReportBatchItemFailures", failureMapping.GetProperty("FunctionResponseTypes")[0].GetString());
        var failureQueueName = failureMapping.GetProperty("EventSourceArn").GetString()!.Split(':')[^1];
        using var failureQueue = JsonDocument.Parse(await AwsAsync("sqs", "get-queue-attributes",
            "--queue-url", $"{MotoUrl}/123456789012/{failureQueueName}", "--attribute-names", "All"));
        using var failureRedrive = JsonDocument.Parse(failureQueue.RootElement.GetProperty("Attributes").GetProperty("RedrivePolicy").GetString()!);
        Assert.Equal("5", failureRedrive.RootElement.GetProperty("maxReceiveCount").ToString());
    }

    [Theory]
    [InlineData("x86_64", "history-test", "EksHistory")]
    [InlineData("arm64", "history-arm", "EksHistoryArm")]
    public async Task CreateStack_SynthesizedTemplate_ReachesCreateCompleteWithoutTheSecretsAndSaysWhatIsMissing(string architecture, string cluster, string stackName)
    {
        using var pipeline = SynthesizedPipeline.Create(Context(cluster, stackName, ("architecture", architecture)));

        var (stack, physicalIds) = await DeployAsync(pipeline, stackName);

        await AssertQueueMappedToIndexerAsync(cluster, physicalIds);
        using var function = JsonDocument.Parse(await AwsAsync("lambda", "get-function-configuration", "--function-name", physicalIds["IndexerFunction"]));
        Assert.Equal("provided.al2023", function.RootElement.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.RootElement.GetProperty("Handler").GetString());
        // moto (5.2) drops Architectures when CloudFormation creates a function, so the architecture the
        // stack asked for is read from the deployed template, not from moto's function.
        foreach (var id in new[] { "IndexerFunction", "ControlPlaneLogsFunction", "SetupFunction" })
        {
            Assert.Equal(architecture, pipeline.Json.GetProperty("Resources").GetProperty(id).GetProperty("Properties").GetProperty("Architectures")[0].GetString());
        }

        using var host = JsonDocument.Parse(await AwsAsync("ssm", "get-parameter", "--name", $"/eksworkshop/{cluster}/opensearch/host"));
        Assert.Equal("search-demo.us-east-1.es.amazonaws.com", host.RootElement.GetProperty("Parameter").GetProperty("Value").GetString());

        // The first deploy, before the two SecureStrings exist: the setup did not run, the stack is complete anyway,
        // and its output says what is missing and what to run.
        var setup = Output(stack, "OpenSearchSetup");
        Assert.StartsWith("NOT_DONE: ", setup, StringComparison.Ordinal);
        Assert.Contains($"/eksworkshop/{cluster}/opensearch/password", setup, StringComparison.Ordinal);
        Assert.Contains("tools/OpenSearchSetup", setup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStack_VpcDomainWithSsmEndpointAndLogs_PlacesTheFunctionsAndCompletes()
    {
        const string cluster = "history-vpc";
        using var vpc = JsonDocument.Parse(await AwsAsync("ec2", "create-vpc", "--cidr-block", "10.42.0.0/16"));
        var vpcId = vpc.RootElement.GetProperty("Vpc").GetProperty("VpcId").GetString()!;
        var subnets = new List<string>();
        foreach (var (cidr, zone) in new[] { ("10.42.1.0/24", "us-east-1a"), ("10.42.2.0/24", "us-east-1b") })
        {
            using var subnet = JsonDocument.Parse(await AwsAsync("ec2", "create-subnet", "--vpc-id", vpcId, "--cidr-block", cidr, "--availability-zone", zone));
            subnets.Add(subnet.RootElement.GetProperty("Subnet").GetProperty("SubnetId").GetString()!);
        }

        using var pipeline = SynthesizedPipeline.Create(Context(cluster, "EksHistoryVpc",
            ("vpcSubnetIds", string.Join(',', subnets)), ("vpcId", vpcId), ("vpcSsmEndpoint", "true"), ("enableControlPlaneLogs", "true"),
            ("openSearchEndpoint", "vpc-history-abc123.us-east-1.es.amazonaws.com")));

        var (stack, physicalIds) = await DeployAsync(pipeline, "EksHistoryVpc");

        await AssertQueueMappedToIndexerAsync(cluster, physicalIds);
        var groupId = Output(stack, "FunctionsSecurityGroupId");
        using var groups = JsonDocument.Parse(await AwsAsync("ec2", "describe-security-groups", "--group-ids", groupId));
        var group = Assert.Single(groups.RootElement.GetProperty("SecurityGroups").EnumerateArray());
        // moto's CloudFormation ignores SecurityGroupEgress (the group keeps the default allow-all rule), so the
        // HTTPS-only egress is checked in the template (VpcPlacementTests).
        Assert.Equal(vpcId, group.GetProperty("VpcId").GetString());
        using var endpoints = JsonDocument.Parse(await AwsAsync("ec2", "describe-vpc-endpoints"));
        Assert.Contains(endpoints.RootElement.GetProperty("VpcEndpoints").EnumerateArray(), e =>
            e.GetProperty("VpcId").GetString() == vpcId && e.GetProperty("ServiceName").GetString() == "com.amazonaws.us-east-1.ssm");
        // The function answering CloudFormation handed the work to its twin in the VPC; moto cannot run the twin,
        // so the stack completes with the twin's failure in the output, as it would for an unreachable domain.
        Assert.Contains(physicalIds["SetupWorker"], Output(stack, "OpenSearchSetup"), StringComparison.Ordinal);
        Assert.StartsWith("NOT_DONE: ", Output(stack, "OpenSearchSetup"), StringComparison.Ordinal);
        // The log group the subscription filter needs exists now (the cluster itself is not in moto, so turning the
        // types on is reported as not done, with the command to run).
        using var logGroups = JsonDocument.Parse(await AwsAsync("logs", "describe-log-groups", "--log-group-name-prefix", $"/aws/eks/{cluster}/cluster"));
        Assert.Single(logGroups.RootElement.GetProperty("logGroups").EnumerateArray());
        Assert.Contains("aws eks update-cluster-config", Output(stack, "ControlPlaneLogging"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateStack_Serverless_CreatesTheRetentionScheduleAndCompletes()
    {
        const string cluster = "history-aoss";
        var context = Context(cluster, "EksHistoryAoss", ("openSearchEndpoint", "k2h4l9m3n8.us-east-1.aoss.amazonaws.com"));
        foreach (var (key, value) in ServerlessTests.Context)
        {
            context[key] = value;
        }

        using var pipeline = SynthesizedPipeline.Create(context);

        var (stack, physicalIds) = await DeployAsync(pipeline, "EksHistoryAoss");

        await AssertQueueMappedToIndexerAsync(cluster, physicalIds);
        using var rules = JsonDocument.Parse(await AwsAsync("events", "list-rule-names-by-target", "--target-arn", $"arn:aws:lambda:us-east-1:123456789012:function:{physicalIds["SetupFunction"]}"));
        Assert.Single(rules.RootElement.GetProperty("RuleNames").EnumerateArray());
        // SigV4 to a collection whose name does not resolve here: the setup could not reach it, and says so.
        Assert.StartsWith("NOT_DONE: Cannot reach the domain", Output(stack, "OpenSearchSetup"), StringComparison.Ordinal);
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
