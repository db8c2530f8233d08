using ControlPlaneLogsFunction;
using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Handling;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;
using Shared.OpenSearch;
using TestSupport.Lambda;
using TestSupport.OpenSearch;

namespace Conformance.Tests.AwsLambdaSamples;

/// <summary>The control-plane function's handler, as Lambda invokes it, on AWS's sample CloudWatch Logs event.</summary>
public sealed class ControlPlaneLogsHandlerTests : IAsyncLifetime
{
    private OpenSearchDouble _domain = null!;
    private ControlPlaneLogsHandler _handler = null!;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        var writer = new OpenSearchBulkWriter(
            OpenSearchHttp.CreateClient(),
            new DoubleCredentialsSource(_domain),
            new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(200), Templates = [ControlPlaneStartup.Template("eks-control-plane-logs")] },
            TimeProvider.System,
            NullLogger<OpenSearchBulkWriter>.Instance);
        _handler = new ControlPlaneLogsHandler(
            new ControlPlaneDocumentBuilder("eks-control-plane-logs", string.Empty),
            writer,
            new ControlPlaneOptions { MaxDecompressedBytes = 4 * 1024 * 1024 },
            TimeProvider.System,
            new LineWriter(Stream.Null),
            NullLogger<ControlPlaneLogsHandler>.Instance);
    }

    public async Task DisposeAsync() => await _domain.DisposeAsync();

    [Fact]
    public async Task HandleAsync_RealDotnetSample_IndexesTwoUnknownLinesWithParseErrors()
    {
        await _handler.HandleAsync(PublicSamples.Read("aws-lambda-dotnet_logs-event.json"), new TestLambdaContext(TimeSpan.FromSeconds(30)), CancellationToken.None);

        var stored = _domain.Documents("eks-control-plane-logs-2015.08.24");
        Assert.Equal(["eventId1", "eventId2"], stored.Select(d => d.Id).Order());
        Assert.All(stored, d => Assert.Equal("unknown", d.Source.GetProperty("log_type").GetString()));
        Assert.All(stored, d => Assert.True(d.Source.TryGetProperty("parse_error", out _)));
        Assert.Equal("[ERROR] First test message", _domain.TryGet("eks-control-plane-logs-2015.08.24", "eventId1")!.Source.GetProperty("@message").GetString());
    }
}
