using System.Text.Json;
using SetupFunction.CustomResources;
using Shared.Contract.Settings;
using TestSupport.Lambda;
using TestSupport.Moto;

namespace SetupFunction.Tests.Handling;

/// <summary>
/// A VPC domain: the function that answers CloudFormation runs outside the VPC and hands the OpenSearch work to its
/// twin inside (SETUP_DELEGATE_FUNCTION), through Lambda Invoke; the twin is the same code, handling a command.
/// </summary>
public sealed class DelegatedSetupTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private const string Twin = "EksHistory-SetupWorker";
    private SetupFunctionHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SetupFunctionHarness.StartAsync(moto);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private byte[] Create() => CloudFormationEvents.Request("Create", ResourceTypes.OpenSearchSetup, "OpenSearchSetup",
        CloudFormationEvents.SetupProperties(_harness.Prefix), _harness.Responses.ResponseUrl("vpc"));

    private void DeployTwin()
    {
        var twin = _harness.Handler();
        _harness.Lambda.Functions[Twin] = async payload => (await twin.HandleAsync(payload, new TestLambdaContext(TimeSpan.FromMinutes(2)), CancellationToken.None), null);
    }

    [Fact]
    public async Task Create_WithTwinInTheVpc_TheTwinInstallsAndThisFunctionAnswers()
    {
        await _harness.PutParametersAsync();
        DeployTwin();
        var outside = _harness.Handler(_harness.Environment((EnvironmentVariableNames.SetupDelegateFunction, Twin)));

        await SetupFunctionHarness.InvokeAsync(outside, Create());

        var invocation = Assert.Single(_harness.Lambda.Invocations);
        Assert.Equal(Twin, invocation.FunctionName);
        Assert.Equal("RequestResponse", invocation.InvocationType);
        using var command = JsonDocument.Parse(invocation.Payload);
        Assert.Equal("setup", command.RootElement.GetProperty("command").GetString());
        Assert.Equal(_harness.Prefix, command.RootElement.GetProperty("properties").GetProperty("SsmParameterPrefix").GetString());
        Assert.Equal(2, _harness.Domain.Templates.Count);
        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("DONE", response.GetProperty("Data").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task Create_TwinCrashes_AnswersSuccessWithItsError()
    {
        _harness.Lambda.Functions[Twin] = _ => Task.FromResult((System.Text.Encoding.UTF8.GetBytes("{\"errorMessage\":\"Runtime exited with error: signal: killed\",\"errorType\":\"Runtime.ExitError\"}"), (string?)"Unhandled"));
        var outside = _harness.Handler(_harness.Environment((EnvironmentVariableNames.SetupDelegateFunction, Twin)));

        await SetupFunctionHarness.InvokeAsync(outside, Create());

        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("NOT_DONE", response.GetProperty("Data").GetProperty("Status").GetString());
        Assert.Contains("Runtime.ExitError", response.GetProperty("Data").GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_TwinMissing_AnswersSuccessWithLambdasRefusal()
    {
        var outside = _harness.Handler(_harness.Environment((EnvironmentVariableNames.SetupDelegateFunction, "no-such-function")));

        await SetupFunctionHarness.InvokeAsync(outside, Create());

        var message = _harness.SingleResponse().GetProperty("Data").GetProperty("Message").GetString()!;
        Assert.Contains("ResourceNotFoundException", message, StringComparison.Ordinal);
        Assert.Contains("no-such-function", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionCommand_ExpiredIndices_AreDeletedAndTheOutcomeReturned()
    {
        await _harness.PutParametersAsync();
        _harness.Domain.Serverless = true;
        _harness.Domain.AddDocument("eks-kubernetes-events-2020.01.01", "a", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var handler = _harness.Handler(_harness.Environment((EnvironmentVariableNames.OpenSearchService, "aoss")));
        var command = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            command = "retention",
            properties = new Dictionary<string, object>
            {
                ["SsmParameterPrefix"] = _harness.Prefix,
                ["EventsIndex"] = "eks-kubernetes-events",
                ["ControlPlaneIndex"] = "eks-control-plane-logs",
                // The schedule's input is plain JSON: numbers are numbers there.
                ["EventsRetentionDays"] = 30,
                ["ControlPlaneRetentionDays"] = 14,
            },
        }));

        var result = await SetupFunctionHarness.InvokeAsync(handler, command);

        using var outcome = JsonDocument.Parse(result);
        Assert.Equal("DONE", outcome.RootElement.GetProperty("status").GetString());
        Assert.Contains("eks-kubernetes-events-2020.01.01", outcome.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_harness.Domain.Indices);
        Assert.Empty(_harness.Responses.Puts);
    }

    [Fact]
    public async Task HandleAsync_UnknownCommand_FailsTheInvocation()
    {
        var handler = _harness.Handler();

        await Assert.ThrowsAsync<JsonException>(() => SetupFunctionHarness.InvokeAsync(handler, "{\"command\":\"drop\"}"u8.ToArray()));
    }
}
