using System.Text.Json;
using System.Text.Json.Nodes;
using SetupFunction.CustomResources;
using TestSupport.Moto;

namespace SetupFunction.Tests.Handling;

/// <summary>
/// The Custom::ClusterLogging resource (context key enableControlPlaneLogs): the log group first, then the five
/// log types, idempotent when they are on, against the EKS double and CloudWatch Logs in moto.
/// </summary>
public sealed class ClusterLoggingRequestTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private readonly string _cluster = $"logs-{Guid.NewGuid():N}"[..20];
    private SetupFunctionHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SetupFunctionHarness.StartAsync(moto);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private byte[] Create() => CloudFormationEvents.Request("Create", ResourceTypes.ClusterLogging, "ClusterLogging",
        CloudFormationEvents.LoggingProperties(_cluster), _harness.Responses.ResponseUrl("logging"));

    private async Task<bool> LogGroupExistsAsync()
    {
        using var logs = moto.CreateAwsJsonClient(Shared.Aws.AwsService.Logs);
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"logGroupNamePrefix\":\"/aws/eks/{_cluster}/cluster\"}}");
        return await logs.InvokeAsync("DescribeLogGroups", body, static json =>
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.GetProperty("logGroups").GetArrayLength() == 1;
        }, CancellationToken.None);
    }

    [Fact]
    public async Task Create_LoggingOff_CreatesTheGroupAndTurnsAllFiveTypesOn()
    {
        _harness.Eks.Clusters[_cluster] = [];

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        Assert.True(await LogGroupExistsAsync());
        Assert.Equal(["api", "audit", "authenticator", "controllerManager", "scheduler"], _harness.Eks.Clusters[_cluster].Order(StringComparer.Ordinal));
        var update = JsonNode.Parse(Assert.Single(_harness.Eks.Updates))!;
        Assert.True(update["logging"]!["clusterLogging"]![0]!["enabled"]!.GetValue<bool>());
        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("DONE", response.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Contains("created", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SomeTypesOn_AsksOnlyForTheMissingOnes()
    {
        _harness.Eks.Clusters[_cluster] = ["api", "audit"];

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        var types = JsonNode.Parse(Assert.Single(_harness.Eks.Updates))!["logging"]!["clusterLogging"]![0]!["types"]!.AsArray().Select(t => t!.GetValue<string>());
        Assert.Equal(["authenticator", "controllerManager", "scheduler"], types);
    }

    [Fact]
    public async Task Create_AllTypesOnAndGroupThere_IsIdempotentAndSendsNoUpdate()
    {
        _harness.Eks.Clusters[_cluster] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        Assert.Empty(_harness.Eks.Updates);
        Assert.All(_harness.Responses.Puts, put => Assert.Contains("already on", put.Body, StringComparison.Ordinal));
        Assert.Contains("exists", _harness.Responses.Puts.Last().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnableAsync_EksAnswersNoChangesNeeded_CountsAsAlreadyOn()
    {
        // Between DescribeCluster and the update someone else may turn the types on: EKS then refuses the no-op
        // with InvalidParameterException "No changes needed", which is the state asked for.
        _harness.Eks.Clusters[_cluster] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
        using var http = new HttpClient();
        var logging = new Shared.Aws.EksClusterLogging(new Shared.Aws.AwsRestJsonClient(
            http, Shared.Aws.AwsService.Eks, new Shared.Aws.AwsEndpoint(_harness.Eks.Endpoint, "us-east-1"), MotoFixture.Credentials, TimeProvider.System));

        var update = await logging.EnableAsync(_cluster, ["api", "audit"], CancellationToken.None);

        Assert.Null(update);
        Assert.Empty(_harness.Eks.Updates);
    }

    [Fact]
    public async Task Create_AnotherUpdateRunning_WaitsItOutAndThenTurnsTheTypesOn()
    {
        _harness.Eks.Clusters[_cluster] = [];
        _harness.Eks.RefuseUpdatesInUse(2);
        var handler = _harness.Handler(time: _harness.Time);

        var invocation = SetupFunctionHarness.InvokeAsync(handler, Create());
        await Eventually.AdvanceUntilAsync(_harness.Time, () => invocation.IsCompleted, "the update after two refusals");
        await invocation;

        Assert.Single(_harness.Eks.Updates);
        Assert.Equal("DONE", _harness.SingleResponse().GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Create_UpdateRefused_AnswersSuccessWithTheCommandToRunByHand()
    {
        _harness.Eks.Clusters[_cluster] = [];
        _harness.Eks.Refuse = (403, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/setup is not authorized to perform: eks:UpdateClusterConfig");

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("NOT_DONE", response.GetProperty("Data").GetProperty("Status").GetString());
        var message = response.GetProperty("Data").GetProperty("Message").GetString()!;
        Assert.Contains("AccessDeniedException", message, StringComparison.Ordinal);
        Assert.Contains($"aws eks update-cluster-config --name {_cluster}", message, StringComparison.Ordinal);
        // The group exists, so the stack's subscription filter can still be made.
        Assert.True(await LogGroupExistsAsync());
    }

    [Fact]
    public async Task Create_LogGroupCannotBeCreated_AnswersFailedSayingWhy()
    {
        _harness.Eks.Clusters[_cluster] = [];
        // CloudWatch Logs at an address nothing listens on: the group cannot be made, and without it the
        // subscription filter cannot be either.
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var environment = _harness.Environment(("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", $"http://127.0.0.1:{port}"));

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(environment), Create());

        var response = _harness.SingleResponse();
        Assert.Equal("FAILED", response.GetProperty("Status").GetString());
        Assert.Contains("log group could not be prepared", response.GetProperty("Reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(_harness.Eks.Updates);
    }

    [Fact]
    public async Task Delete_LoggingOn_LeavesItOn()
    {
        _harness.Eks.Clusters[_cluster] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), CloudFormationEvents.Request("Delete", ResourceTypes.ClusterLogging, "ClusterLogging",
            CloudFormationEvents.LoggingProperties(_cluster), _harness.Responses.ResponseUrl("delete"), physicalId: "ClusterLogging-x"));

        Assert.Equal("SUCCESS", _harness.SingleResponse().GetProperty("Status").GetString());
        Assert.Equal(5, _harness.Eks.Clusters[_cluster].Count);
        Assert.Empty(_harness.Eks.Updates);
    }
}
