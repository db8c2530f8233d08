using System.Text.Json;
using SetupFunction.CustomResources;
using SetupFunction.Tests.Doubles;
using Shared.Contract.Settings;
using TestSupport.Moto;

namespace SetupFunction.Tests.Handling;

/// <summary>
/// The Custom::OpenSearchSetup resource as CloudFormation drives it: the function installs what the command
/// installs, answers the ResponseURL, and never fails the stack because the domain or its password is not ready.
/// </summary>
public sealed class OpenSearchSetupRequestTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private SetupFunctionHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SetupFunctionHarness.StartAsync(moto);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private byte[] Create(string key = "create") => CloudFormationEvents.Request("Create", ResourceTypes.OpenSearchSetup, "OpenSearchSetup",
        CloudFormationEvents.SetupProperties(_harness.Prefix), _harness.Responses.ResponseUrl(key));

    [Fact]
    public async Task Create_ReachableDomain_InstallsEverythingAndAnswersSuccessWithoutAContentType()
    {
        await _harness.PutParametersAsync();

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        Assert.Equal(["eks-control-plane-logs", "eks-kubernetes-events"], _harness.Domain.Templates.Keys.Order());
        Assert.Equal(2, _harness.Domain.Policies.Count);
        Assert.Equal(DomainSetup.Assets.EmbeddedSetupAssets.Instance.SavedObjects().Count, _harness.Domain.Imports.Count);
        var put = Assert.Single(_harness.Responses.Puts);
        // The pre-signed URL is signed without a content type, as AWS's cfn-response module sends it.
        Assert.Null(put.ContentType);
        Assert.StartsWith("/cloudformation-custom-resource-response-useast1/create?X-Amz-Algorithm=", put.PathAndQuery, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(put.Body) <= CustomResourceResponder.MaxResponseBytes);
        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal(CloudFormationEvents.StackId, response.GetProperty("StackId").GetString());
        Assert.Equal("OpenSearchSetup", response.GetProperty("LogicalResourceId").GetString());
        Assert.Equal("OpenSearchSetup-5b9ec5e0-0000-11ef-9d67-0affd6ab3f1a", response.GetProperty("PhysicalResourceId").GetString());
        Assert.Equal("DONE", response.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Contains("ISM policy eks-kubernetes-events-retention", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Shared.Contract.Settings.EnvironmentVariableNames.SsmParameterPrefix, put.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_PasswordNotYetInSsm_AnswersSuccessSayingWhatIsMissingAndWhatCoversIt()
    {
        await _harness.PutParametersAsync(password: null);

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("NOT_DONE", response.GetProperty("Data").GetProperty("Status").GetString());
        var message = response.GetProperty("Data").GetProperty("Message").GetString()!;
        Assert.Contains($"{_harness.Prefix}/password", message, StringComparison.Ordinal);
        Assert.Contains("The functions install the index templates before their first write", message, StringComparison.Ordinal);
        Assert.Contains("tools/OpenSearchSetup", message, StringComparison.Ordinal);
        Assert.Empty(_harness.Domain.Templates);
    }

    [Fact]
    public async Task Create_WrongPassword_AnswersSuccessWithTheRefusalAndNoSecret()
    {
        await _harness.PutParametersAsync(password: "Wrong-Passw0rd");

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        var put = Assert.Single(_harness.Responses.Puts);
        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Contains("401", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Passw0rd", put.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Passw0rd", _harness.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DomainRefusesConnections_AnswersSuccessSayingItCannotReachIt()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await _harness.PutParametersAsync(host: new Uri($"http://127.0.0.1:{port}/"));

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), Create());

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.StartsWith("Cannot reach the domain", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_DomainNeverAnswers_AnswersSuccessWhenTheBudgetIsSpent()
    {
        using var silent = new SilentEndpoint();
        await _harness.PutParametersAsync(host: silent.Endpoint);
        var handler = _harness.Handler(time: _harness.Time);

        // 45 s left: the budget is 30 s, the rest is kept to answer CloudFormation.
        var invocation = SetupFunctionHarness.InvokeAsync(handler, Create(), TimeSpan.FromSeconds(45));
        await Eventually.TrueAsync(() => silent.Accepted > 0, "the setup to connect to the silent domain");
        Assert.Empty(_harness.Responses.Puts);
        _harness.Time.Advance(TimeSpan.FromSeconds(31));
        await invocation.WaitAsync(TimeSpan.FromMinutes(1));

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Contains("did not answer within 30 s", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Contains("security group", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_NewRetention_RunsAgainAndKeepsThePhysicalId()
    {
        await _harness.PutParametersAsync();
        var handler = _harness.Handler();
        await SetupFunctionHarness.InvokeAsync(handler, Create());

        await SetupFunctionHarness.InvokeAsync(handler, CloudFormationEvents.Request("Update", ResourceTypes.OpenSearchSetup, "OpenSearchSetup",
            CloudFormationEvents.SetupProperties(_harness.Prefix, eventsDays: "90"), _harness.Responses.ResponseUrl("update"),
            physicalId: "OpenSearchSetup-first", oldProperties: CloudFormationEvents.SetupProperties(_harness.Prefix)));

        var update = JsonDocument.Parse(_harness.Responses.Puts.Last().Body).RootElement;
        Assert.Equal("OpenSearchSetup-first", update.GetProperty("PhysicalResourceId").GetString());
        Assert.Equal("90d", _harness.Domain.Policies["eks-kubernetes-events-retention"]["policy"]!["states"]![0]!["transitions"]![0]!["conditions"]!["min_index_age"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_AnyState_AnswersSuccessAndLeavesTheDomainAlone()
    {
        await _harness.PutParametersAsync(password: null);

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), CloudFormationEvents.Request("Delete", ResourceTypes.OpenSearchSetup, "OpenSearchSetup",
            CloudFormationEvents.SetupProperties(_harness.Prefix), _harness.Responses.ResponseUrl("delete"), physicalId: "OpenSearchSetup-first"));

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("OpenSearchSetup-first", response.GetProperty("PhysicalResourceId").GetString());
        Assert.Empty(_harness.Domain.Requests);
    }

    [Fact]
    public async Task Create_MissingProperty_AnswersSuccessNamingIt()
    {
        await _harness.PutParametersAsync();
        var properties = CloudFormationEvents.SetupProperties(_harness.Prefix);
        properties.Remove("EventsRetentionDays");

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), CloudFormationEvents.Request("Create", ResourceTypes.OpenSearchSetup, "OpenSearchSetup", properties, _harness.Responses.ResponseUrl("x")));

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Contains("EventsRetentionDays", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownResourceType_AnswersFailedNamingTheTypesItBacks()
    {
        await SetupFunctionHarness.InvokeAsync(_harness.Handler(), CloudFormationEvents.Request("Create", "Custom::Something", "X", [], _harness.Responses.ResponseUrl("x")));

        var response = _harness.SingleResponse();
        Assert.Equal("FAILED", response.GetProperty("Status").GetString());
        Assert.Contains("Custom::OpenSearchSetup", response.GetProperty("Reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ResponseUrlFailsTwice_TriesAgainUntilItIsTaken()
    {
        await _harness.PutParametersAsync();
        _harness.Responses.FailNext(2, 500);
        var handler = _harness.Handler(time: _harness.Time);

        var invocation = SetupFunctionHarness.InvokeAsync(handler, Create());
        // Time moves only once the setup is done and the answer is being sent, so no budget runs out meanwhile.
        await Eventually.TrueAsync(() => !_harness.Responses.Puts.IsEmpty, "the first PUT");
        await Eventually.AdvanceUntilAsync(_harness.Time, () => invocation.IsCompleted, "the third PUT");

        await invocation;
        Assert.Equal(3, _harness.Responses.Puts.Count);
        Assert.All(_harness.Responses.Puts, p => Assert.Equal(_harness.Responses.Puts.First().Body, p.Body));
    }

    [Fact]
    public async Task Create_ResponseUrlAlwaysFails_FailsTheInvocationSoLambdaRetriesIt()
    {
        await _harness.PutParametersAsync();
        _harness.Responses.FailNext(100, 403);
        var handler = _harness.Handler(time: _harness.Time);

        var invocation = SetupFunctionHarness.InvokeAsync(handler, Create());
        await Eventually.TrueAsync(() => !_harness.Responses.Puts.IsEmpty, "the first PUT");
        await Eventually.AdvanceUntilAsync(_harness.Time, () => invocation.IsCompleted, "the last PUT");

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => invocation);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
        Assert.Equal(CustomResourceResponder.MaxAttempts, _harness.Responses.Puts.Count);
    }

    [Fact]
    public async Task Create_Serverless_SkipsIsmAndDashboardsAndReportsTheVersionProbe()
    {
        await _harness.PutParametersAsync();
        _harness.Domain.Serverless = true;
        // The double checks basic auth; the Serverless behaviour comes from the signing name, so SigV4 is not needed here.
        var environment = _harness.Environment((EnvironmentVariableNames.OpenSearchService, "aoss"));

        await SetupFunctionHarness.InvokeAsync(_harness.Handler(environment), Create());

        var message = _harness.SingleResponse().GetProperty("Data").GetProperty("Message").GetString()!;
        Assert.Contains("external versions: honoured", message, StringComparison.Ordinal);
        Assert.Contains("dashboards: skipped", message, StringComparison.Ordinal);
        Assert.Empty(_harness.Domain.Policies);
        Assert.DoesNotContain(_harness.Domain.Requests, r => r.Contains("_plugins", StringComparison.Ordinal));
    }
}
