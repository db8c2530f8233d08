using System.Text.Json;
using SetupFunction.CustomResources;
using SetupFunction.Tests.Handling;
using Shared.Contract.Settings;
using TestSupport.Moto;
using TestSupport.Processes;

namespace SetupFunction.Tests.Process;

/// <summary>
/// The published Native AOT bootstrap, run as a separate process with only the AWS environment, on a custom
/// resource request in a file (`bootstrap --event`): it installs into the domain and PUTs its answer.
/// </summary>
public sealed class BootstrapProcessTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private SetupFunctionHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await SetupFunctionHarness.StartAsync(moto);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Bootstrap_CreateRequestInAFile_InstallsAndAnswersTheResponseUrl()
    {
        var bootstrap = await PublishedFunction.EnsureAsync("SetupFunction");
        await _harness.PutParametersAsync();
        var eventFile = Path.Combine(Path.GetTempPath(), $"setup-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(eventFile, CloudFormationEvents.Request("Create", ResourceTypes.OpenSearchSetup, "OpenSearchSetup",
            CloudFormationEvents.SetupProperties(_harness.Prefix), _harness.Responses.ResponseUrl("process")));
        var environment = new Dictionary<string, string>(moto.Server.Environment) { [EnvironmentVariableNames.FunctionName] = "EksHistory-SetupFunction" };

        await using var process = FunctionProcess.Start(bootstrap, environment, "--event", eventFile, "--timeout", "120");
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, string.Join('\n', process.StandardError));
        Assert.Equal(2, _harness.Domain.Templates.Count);
        var response = _harness.SingleResponse();
        Assert.Equal("SUCCESS", response.GetProperty("Status").GetString());
        Assert.Equal("DONE", response.GetProperty("Data").GetProperty("Status").GetString());
        // The response printed on stdout is the document that was PUT.
        using var printed = JsonDocument.Parse(Assert.Single(process.StandardOutput));
        Assert.Equal("SUCCESS", printed.RootElement.GetProperty("Status").GetString());
    }
}
