using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Functions.Runtime.Events.Sqs;
using IndexerFunction.Tests.Handling;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Processes;

namespace IndexerFunction.Tests.Process;

/// <summary>
/// The published Native AOT bootstrap, as Lambda runs it: a process speaking the Runtime API (double),
/// reading SSM (moto) and writing to OpenSearch (double).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class BootstrapProcessTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly string _prefix = "/proc/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
    private OpenSearchDouble _domain = null!;
    private RuntimeApiDouble _runtime = null!;
    private AmazonSimpleSystemsManagementClient _ssm = null!;
    private string _bootstrap = null!;

    public async Task InitializeAsync()
    {
        _bootstrap = await PublishedFunction.EnsureAsync("IndexerFunction");
        _domain = await OpenSearchDouble.StartAsync();
        _runtime = await RuntimeApiDouble.StartAsync();
        _ssm = moto.CreateSsmClient();
        await PutAsync("host", _domain.Endpoint.ToString(), ParameterType.String);
        await PutAsync("user", _domain.User, ParameterType.SecureString);
        await PutAsync("password", _domain.Password, ParameterType.SecureString);
    }

    public async Task DisposeAsync()
    {
        _ssm.Dispose();
        await _runtime.DisposeAsync();
        await _domain.DisposeAsync();
    }

    private Task PutAsync(string name, string value, ParameterType type) =>
        _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{_prefix}/{name}", Value = value, Type = type, Overwrite = true });

    private FunctionProcess Start(string? prefix = null)
    {
        var environment = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = _runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "indexer",
            ["SSM_PARAMETER_PREFIX"] = prefix ?? _prefix,
            ["CLUSTER_NAME"] = "proc-cluster",
        };
        return FunctionProcess.Start(_bootstrap, environment);
    }

    private static byte[] Batch(params string[] bodies) => JsonSerializer.SerializeToUtf8Bytes(new SQSEvent
    {
        Records = bodies.Select((b, i) => new SQSEvent.SQSMessage { MessageId = $"m{i}", Body = b, EventSource = "aws:sqs" }).ToList(),
    });

    private static async Task<IReadOnlyList<string>> FailuresAsync(Task<InvocationOutcome> invocation)
    {
        var outcome = await invocation.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(outcome.IsError, outcome.Text);
        using var json = outcome.Json();
        return json.RootElement.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()!).ToList();
    }

    [Fact]
    public async Task Bootstrap_GoodPoisonFaultAndRotation_AnswersEachBatchWithExactlyTheFailedMessages()
    {
        await using var process = Start();

        // A good batch: all three forms.
        var good = await FailuresAsync(_runtime.InvokeAsync(Batch(
            SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("a", 1), SqsBatchHandlerTests.Event("b", 2)),
            SqsBatchHandlerTests.Event("c", 3))));
        Assert.Empty(good);
        Assert.Equal(3, _domain.Documents("eks-kubernetes-events-*").Count);
        Assert.True(_domain.Templates.ContainsKey("eks-kubernetes-events"));

        // A poison message among good ones.
        var poison = await FailuresAsync(_runtime.InvokeAsync(Batch(
            SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("d", 1)),
            "{\"schema\":\"eks-events/v1\",\"events\":\"oops\"}")));
        Assert.Equal(["m1"], poison);

        // Transient faults, retried within the invocation.
        _domain.FailNextRequests(2, BulkFault.ServiceUnavailable);
        _domain.RejectItemWithTooManyRequests("e", 2);
        var transient = await FailuresAsync(_runtime.InvokeAsync(Batch(SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("e", 1)))));
        Assert.Empty(transient);

        // Password rotation: the domain and the parameter change; the cached password gets a 401.
        _domain.Password = "Rotated-After-Deploy-1";
        await PutAsync("password", "Rotated-After-Deploy-1", ParameterType.SecureString);
        var rotated = await FailuresAsync(_runtime.InvokeAsync(Batch(SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("f", 1)))));
        Assert.Empty(rotated);
        Assert.Equal(1, _domain.UnauthorizedRequests);

        Assert.Equal(6, _domain.Documents("eks-kubernetes-events-*").Count);
        Assert.False(process.HasExited);
        var stdout = process.StandardOutput;
        Assert.Contains(stdout, l => l.Contains("\"_aws\"", StringComparison.Ordinal) && l.Contains("\"DocumentsIndexed\"", StringComparison.Ordinal));
        Assert.DoesNotContain(stdout, l => l.Contains("Rotated-After-Deploy-1", StringComparison.Ordinal) || l.Contains(_domain.User + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bootstrap_SigV4_ReadsOnlyTheHostAndSignsWithTheFunctionsCredentials()
    {
        // Only the host parameter exists; the domain accepts only requests signed with the role's keys.
        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = _prefix + "/user" });
        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = _prefix + "/password" });
        _domain.SigV4Keys = new() { [moto.Server.Environment["AWS_ACCESS_KEY_ID"]] = moto.Server.Environment["AWS_SECRET_ACCESS_KEY"] };
        _domain.SigV4Region = MotoServer.Region;
        var environment = new Dictionary<string, string>(moto.Server.Environment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = _runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = "indexer",
            ["SSM_PARAMETER_PREFIX"] = _prefix,
            ["OPENSEARCH_AUTH"] = "sigv4",
            ["AWS_SESSION_TOKEN"] = "session-token-of-the-execution-role",
        };
        await using var process = FunctionProcess.Start(_bootstrap, environment);

        var failures = await FailuresAsync(_runtime.InvokeAsync(Batch(SqsBatchHandlerTests.Envelope("prod", SqsBatchHandlerTests.Event("s1", 1), SqsBatchHandlerTests.Event("s2", 1)))));

        Assert.Empty(failures);
        Assert.Equal(2, _domain.Documents("eks-kubernetes-events-*").Count);
        Assert.Equal(0, _domain.UnauthorizedRequests);
    }

    [Fact]
    public async Task Bootstrap_PasswordParameterMissing_ReportsAnInitErrorNamingItAndExits()
    {
        await _ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = _prefix + "/password" });
        await using var process = Start();

        var error = await _runtime.InitError.WaitAsync(TimeSpan.FromSeconds(30));
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("ConfigurationException", error.ErrorType);
        Assert.Contains(_prefix + "/password", error.Text, StringComparison.Ordinal);
        Assert.NotEqual(0, exit);
        Assert.Equal(0, _runtime.NextRequests);
    }

    [Fact]
    public async Task Bootstrap_LocalEventFile_PrintsTheResponseOnStdout()
    {
        var file = Path.Combine(Path.GetTempPath(), $"batch-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, Batch(SqsBatchHandlerTests.Envelope("local", SqsBatchHandlerTests.Event("l1", 1)), "garbage"));
        try
        {
            var environment = new Dictionary<string, string>(moto.Server.Environment) { ["SSM_PARAMETER_PREFIX"] = _prefix };
            await using var process = FunctionProcess.Start(_bootstrap, environment, "--event", file);

            var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(0, exit);
            Assert.Equal("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}", Assert.Single(process.StandardOutput));
            Assert.NotNull(_domain.TryGet("eks-kubernetes-events-2024.06.01", "l1"));
            Assert.Contains(process.StandardError, l => l.Contains("\"_aws\"", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
