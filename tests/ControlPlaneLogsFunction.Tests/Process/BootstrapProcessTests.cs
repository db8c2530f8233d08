using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ControlPlaneLogsFunction.Tests.Samples;
using TestSupport.CloudWatchLogs;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Processes;

namespace ControlPlaneLogsFunction.Tests.Process;

/// <summary>
/// The published Native AOT <c>bootstrap</c>, run as Lambda runs it: Runtime API double, SSM on moto,
/// the OpenSearch double. Proves the AOT build (source-generated JSON, embedded template) works end to end.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class BootstrapProcessTests : IAsyncLifetime
{
    private readonly MotoFixture _moto;
    private readonly string _prefix = "/eks-history-test/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
    private OpenSearchDouble _domain = null!;
    private RuntimeApiDouble _runtime = null!;

    public BootstrapProcessTests(MotoFixture moto) => _moto = moto;

    public async Task InitializeAsync()
    {
        _domain = await OpenSearchDouble.StartAsync();
        _runtime = await RuntimeApiDouble.StartAsync();
        using var ssm = _moto.CreateSsmClient();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = _prefix + "/host", Value = _domain.Endpoint.ToString(), Type = ParameterType.String });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = _prefix + "/user", Value = _domain.User, Type = ParameterType.SecureString });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = _prefix + "/password", Value = _domain.Password, Type = ParameterType.SecureString });
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        await _domain.DisposeAsync();
    }

    private async Task<FunctionProcess> StartAsync(string ssmPrefix)
    {
        var bootstrap = await PublishedFunction.EnsureAsync("ControlPlaneLogsFunction");
        var environment = new Dictionary<string, string>(_moto.Server.Environment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = _runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "control-plane-logs",
            ["SSM_PARAMETER_PREFIX"] = ssmPrefix,
        };
        return FunctionProcess.Start(bootstrap, environment);
    }

    [Fact]
    public async Task Bootstrap_MixedDeliveries_IndexesThemAndReportsMetrics()
    {
        await using var function = await StartAsync(_prefix);
        var stamp = SubscriptionEvents.Millis(2024, 3, 1, 10, 15, 30);

        var audit = await _runtime.InvokeAsync(SubscriptionEvents.Event(SubscriptionEvents.Payload(ControlPlaneLines.AuditStream, [("a1", stamp, ControlPlaneLines.AuditCreatePod)])));
        var klog = await _runtime.InvokeAsync(SubscriptionEvents.Event(SubscriptionEvents.Payload(ControlPlaneLines.SchedulerStream, [("k1", stamp, ControlPlaneLines.SchedulerStructured)])));
        var bad = await _runtime.InvokeAsync(SubscriptionEvents.EventWithData("not base64!"));

        Assert.False(audit.IsError, audit.Text);
        Assert.False(klog.IsError, klog.Text);
        Assert.True(bad.IsError);
        Assert.Equal("CloudWatchLogsDecodeException", bad.ErrorType);
        Assert.Equal("create", _domain.TryGet("eks-control-plane-logs-2024.03.01", "a1")!.Source.GetProperty("verb").GetString());
        Assert.Equal("default/nginx-7c5ddbdf54-x2x9k", _domain.TryGet("eks-control-plane-logs-2024.03.01", "k1")!.Source.GetProperty("klog").GetProperty("pod").GetString());
        Assert.True(_domain.Templates.ContainsKey("eks-control-plane-logs"));
        Assert.Contains(function.StandardOutput, l => l.Contains("\"DocumentsIndexed\":1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_MissingSsmParameters_ReportsAnInitErrorNamingThem()
    {
        await using var function = await StartAsync("/eks-history-test/missing/opensearch");

        var initError = await _runtime.InitError.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("/eks-history-test/missing/opensearch/host", initError.Text, StringComparison.Ordinal);
    }
}
