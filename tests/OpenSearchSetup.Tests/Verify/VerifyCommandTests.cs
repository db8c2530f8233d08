using System.Diagnostics;
using TestSupport.Moto;

namespace OpenSearchSetup.Tests.Verify;

/// <summary>The command as a user runs it: a separate process with only the AWS environment, its exit code and its lines.</summary>
public sealed class VerifyCommandTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private PipelineUnderTest _pipeline = null!;

    public async Task InitializeAsync() => _pipeline = await PipelineUnderTest.StartAsync(moto);

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        // The tool's own build output holds every assembly it needs (a test's bin holds only the test's).
        var tool = Path.Combine(TestSupport.RepositoryRoot.Path, "tools", "OpenSearchSetup", Path.GetRelativePath(Path.Combine(TestSupport.RepositoryRoot.Path, "tests", "OpenSearchSetup.Tests"), AppContext.BaseDirectory), "OpenSearchSetup.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", tool, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _pipeline.ProcessEnvironment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Verify_HealthyPipeline_ExitsZeroWithOnlyGreenLines()
    {
        await _pipeline.MakeHealthyAsync();

        var (exitCode, output, error) = await RunAsync("verify", "--cluster-name", _pipeline.Cluster);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(PipelineUnderTest.HealthyLines, lines.Length);
        // Redirected output: no colour codes, the markers carry the verdict.
        Assert.All(lines, l => Assert.StartsWith("[ OK ] ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_ADeadLetterQueueHoldsAMessage_ExitsOne()
    {
        await _pipeline.MakeHealthyAsync();
        await _pipeline.SendToAsync(OpenSearchSetup.Verify.PipelineQueues.EventsDeadLetter(_pipeline.Cluster));

        var (exitCode, output, _) = await RunAsync("verify", "--cluster-name", _pipeline.Cluster);

        Assert.Equal(1, exitCode);
        Assert.Single(output.Split('\n'), l => l.StartsWith("[FAIL]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_WithoutClusterName_ExitsTwoWithTheUsage()
    {
        var (exitCode, _, error) = await RunAsync("verify");

        Assert.Equal(2, exitCode);
        Assert.Contains("--cluster-name", error, StringComparison.Ordinal);
        Assert.Contains("Usage:", error, StringComparison.Ordinal);
    }
}
