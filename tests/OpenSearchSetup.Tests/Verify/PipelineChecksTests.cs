using OpenSearchSetup.Verify;
using TestSupport.Moto;
using TestSupport.OpenSearch;

namespace OpenSearchSetup.Tests.Verify;

/// <summary>verify against moto (SSM, SQS, CloudWatch) and the setup double: healthy, then each red case made on purpose.</summary>
public sealed class PipelineChecksTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private PipelineUnderTest _pipeline = null!;

    public async Task InitializeAsync() => _pipeline = await PipelineUnderTest.StartAsync(moto);

    public async Task DisposeAsync() => await _pipeline.DisposeAsync();

    private static string Line(IReadOnlyList<string> lines, string check) =>
        Assert.Single(lines, l => l.Contains($"] {check}", StringComparison.Ordinal));

    [Fact]
    public async Task RunAsync_HealthyPipeline_PrintsOneGreenLinePerHopAndNoFailure()
    {
        await _pipeline.MakeHealthyAsync();

        var (report, lines) = await _pipeline.VerifyAsync();

        Assert.Equal(0, report.Failed);
        Assert.Equal(0, report.Skipped);
        Assert.All(lines, l => Assert.StartsWith("[ OK ]", l, StringComparison.Ordinal));
        Assert.Equal(PipelineUnderTest.HealthyLines, lines.Count);
        Assert.Contains(lines, l => l.Contains("dashboard \"EKS history - Object history\"", StringComparison.Ordinal));
        Assert.Contains("12 messages sent", Line(lines, "collector"), StringComparison.Ordinal);
        Assert.Contains("oldest message 40 s", Line(lines, $"queue {PipelineQueues.Events(_pipeline.Cluster)}"), StringComparison.Ordinal);
        Assert.Contains("delete after 30d", Line(lines, "retention eks-kubernetes-events"), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains(SetupApiDouble.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_PasswordParameterMissing_FailsNamingItAndSkipsTheDomainChecks()
    {
        await _pipeline.PutParametersAsync(withPassword: false);
        await _pipeline.CreateQueuesAsync();

        var (report, lines) = await _pipeline.VerifyAsync();

        var ssm = Line(lines, "SSM parameters");
        Assert.StartsWith("[FAIL]", ssm, StringComparison.Ordinal);
        Assert.Contains($"{_pipeline.Prefix}/password", ssm, StringComparison.Ordinal);
        Assert.Contains("Fix: aws ssm put-parameter", ssm, StringComparison.Ordinal);
        Assert.StartsWith("[SKIP]", Line(lines, "domain"), StringComparison.Ordinal);
        Assert.StartsWith("[SKIP]", Line(lines, "recent documents"), StringComparison.Ordinal);
        Assert.True(report.Failed > 0);
    }

    [Fact]
    public async Task RunAsync_WrongPassword_FailsTheDomainWithTheParameterToFix()
    {
        await _pipeline.PutParametersAsync(password: "not-the-password");
        await _pipeline.CreateQueuesAsync();

        var (_, lines) = await _pipeline.VerifyAsync();

        var domain = Line(lines, "domain");
        Assert.StartsWith("[FAIL]", domain, StringComparison.Ordinal);
        Assert.Contains("401", domain, StringComparison.Ordinal);
        Assert.Contains($"{_pipeline.Prefix}/password", domain, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SetupNeverRan_FailsTemplatesRetentionAndDashboardsSayingToRunIt()
    {
        await _pipeline.PutParametersAsync();
        _pipeline.AddDocuments(TimeSpan.FromMinutes(1));
        await _pipeline.CreateQueuesAsync();

        var (_, lines) = await _pipeline.VerifyAsync();

        foreach (var check in new[] { "index template eks-kubernetes-events", "index template eks-control-plane-logs", "retention eks-kubernetes-events", "retention eks-control-plane-logs", "dashboard \"EKS history - Kubernetes events\"" })
        {
            var line = Line(lines, check);
            Assert.StartsWith("[FAIL]", line, StringComparison.Ordinal);
            Assert.Contains("tools/OpenSearchSetup", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_NoRecentDocuments_FailsBothIndicesWithWhereToLook()
    {
        await _pipeline.PutParametersAsync();
        await _pipeline.RunSetupAsync();
        _pipeline.AddDocuments(TimeSpan.FromHours(3));
        await _pipeline.CreateQueuesAsync();

        var (_, lines) = await _pipeline.VerifyAsync();

        Assert.Contains("collector", Line(lines, "recent documents eks-kubernetes-events-*"), StringComparison.Ordinal);
        Assert.StartsWith("[FAIL]", Line(lines, "recent documents eks-kubernetes-events-*"), StringComparison.Ordinal);
        Assert.Contains("describe-cluster", Line(lines, "recent documents eks-control-plane-logs-*"), StringComparison.Ordinal);

        var (_, wider) = await _pipeline.VerifyAsync("--window-minutes", "240");
        Assert.StartsWith("[ OK ]", Line(wider, "recent documents eks-kubernetes-events-*"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoQueues_FailsTheQueueAndBothDeadLetterQueuesSayingToDeploy()
    {
        await _pipeline.PutParametersAsync();

        var (_, lines) = await _pipeline.VerifyAsync();

        Assert.Contains("does not exist", Line(lines, $"queue {PipelineQueues.Events(_pipeline.Cluster)}"), StringComparison.Ordinal);
        Assert.StartsWith("[FAIL]", Line(lines, $"dead-letter queue {PipelineQueues.EventsDeadLetter(_pipeline.Cluster)}"), StringComparison.Ordinal);
        Assert.StartsWith("[FAIL]", Line(lines, $"dead-letter queue {PipelineQueues.ControlPlaneDeadLetter(_pipeline.Cluster)}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OldestMessageOlderThanTheThreshold_FailsTheQueueAsFallingBehind()
    {
        await _pipeline.MakeHealthyAsync();
        await _pipeline.PutQueueMetricAsync("ApproximateAgeOfOldestMessage", 1800);

        var (_, lines) = await _pipeline.VerifyAsync();

        var queue = Line(lines, $"queue {PipelineQueues.Events(_pipeline.Cluster)}");
        Assert.StartsWith("[FAIL]", queue, StringComparison.Ordinal);
        Assert.Contains("1800 s", queue, StringComparison.Ordinal);
        Assert.Contains("falling behind", queue, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_MessageInADeadLetterQueue_FailsThatQueueWithTheRedriveCommand(bool events)
    {
        await _pipeline.MakeHealthyAsync();
        var name = events ? PipelineQueues.EventsDeadLetter(_pipeline.Cluster) : PipelineQueues.ControlPlaneDeadLetter(_pipeline.Cluster);
        await _pipeline.SendToAsync(name);

        var (report, lines) = await _pipeline.VerifyAsync();

        var line = Line(lines, $"dead-letter queue {name}");
        Assert.StartsWith("[FAIL]", line, StringComparison.Ordinal);
        Assert.Contains("1 messages", line, StringComparison.Ordinal);
        Assert.Contains("start-message-move-task", line, StringComparison.Ordinal);
        Assert.Equal(1, report.Failed);
    }

    [Fact]
    public async Task RunAsync_CollectorSentNothing_FailsTheCollectorLine()
    {
        await _pipeline.PutParametersAsync();
        await _pipeline.RunSetupAsync();
        _pipeline.AddDocuments(TimeSpan.FromMinutes(1));
        await _pipeline.CreateQueuesAsync();

        var (report, lines) = await _pipeline.VerifyAsync();

        var collector = Line(lines, "collector");
        Assert.StartsWith("[FAIL]", collector, StringComparison.Ordinal);
        Assert.Contains("kubectl -n eks-history get pods", collector, StringComparison.Ordinal);
        Assert.Equal(1, report.Failed);
    }
}
