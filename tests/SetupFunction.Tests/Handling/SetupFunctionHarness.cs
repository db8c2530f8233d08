using System.Text.Json;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Functions.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SetupFunction.Tests.Doubles;
using Shared.Contract.Settings;
using Shared.Logging;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;

namespace SetupFunction.Tests.Handling;

/// <summary>
/// The setup function built the production way (<see cref="SetupStartup.Create"/> over an environment), wired to
/// moto (SSM, CloudWatch Logs), the setup double (OpenSearch), the EKS double, the Lambda Invoke double and a
/// ResponseURL double; its log lines are kept.
/// </summary>
public sealed class SetupFunctionHarness : IAsyncDisposable
{
    private readonly MotoFixture _moto;
    private readonly AmazonSimpleSystemsManagementClient _ssm;

    private SetupFunctionHarness(MotoFixture moto, SetupApiDouble domain, ResponseUrlDouble responses, EksDouble eks, LambdaInvokeDouble lambda)
    {
        _moto = moto;
        Domain = domain;
        Responses = responses;
        Eks = eks;
        Lambda = lambda;
        _ssm = moto.CreateSsmClient();
    }

    public string Prefix { get; } = $"/eksworkshop/cr-{Guid.NewGuid():N}/opensearch";

    public SetupApiDouble Domain { get; }

    public ResponseUrlDouble Responses { get; }

    public EksDouble Eks { get; }

    public LambdaInvokeDouble Lambda { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    private readonly MemoryStream _log = new();

    /// <summary>What the function logged (read after an invocation finished).</summary>
    public string Log => System.Text.Encoding.UTF8.GetString(_log.ToArray());

    public static async Task<SetupFunctionHarness> StartAsync(MotoFixture moto) =>
        new(moto, await SetupApiDouble.StartAsync(), await ResponseUrlDouble.StartAsync(), await EksDouble.StartAsync(), await LambdaInvokeDouble.StartAsync());

    public async Task PutParametersAsync(Uri? host = null, string? password = SetupApiDouble.Password)
    {
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{Prefix}/host", Type = ParameterType.String, Value = (host ?? Domain.Endpoint).ToString(), Overwrite = true });
        await _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{Prefix}/user", Type = ParameterType.SecureString, Value = SetupApiDouble.User, Overwrite = true });
        if (password is not null)
        {
            await _ssm.PutParameterAsync(new PutParameterRequest { Name = $"{Prefix}/password", Type = ParameterType.SecureString, Value = password, Overwrite = true });
        }
    }

    /// <summary>The function's environment: moto for SSM and Logs, the doubles for EKS and Lambda, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>(_moto.Server.Environment)
        {
            ["AWS_ENDPOINT_URL_EKS"] = Eks.Endpoint.ToString().TrimEnd('/'),
            ["AWS_ENDPOINT_URL_LAMBDA"] = Lambda.Endpoint.ToString().TrimEnd('/'),
            [EnvironmentVariableNames.FunctionName] = "EksHistory-SetupFunction",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }

    public ILambdaHandler Handler(Dictionary<string, string>? environment = null, TimeProvider? time = null)
    {
        var lines = new LineWriter(_log);
        var startup = new FunctionStartup
        {
            Environment = new DictionaryEnvironmentVariables(environment ?? Environment()),
            LoggerFactory = new JsonLoggerFactory(new JsonLoggerProvider(lines, LogLevel.Information, TimeProvider.System)),
            Time = time ?? TimeProvider.System,
            MetricsOutput = lines,
        };
        return SetupStartup.Create(startup, MotoFixture.Credentials);
    }

    public static Task<byte[]> InvokeAsync(ILambdaHandler handler, byte[] payload, TimeSpan? timeout = null) =>
        handler.HandleAsync(payload, new TestLambdaContext(timeout ?? TimeSpan.FromMinutes(3)), CancellationToken.None);

    /// <summary>The single PUT the function made, parsed.</summary>
    public JsonElement SingleResponse()
    {
        var put = Assert.Single(Responses.Puts);
        return JsonDocument.Parse(put.Body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Domain.DisposeAsync();
        await Responses.DisposeAsync();
        await Eks.DisposeAsync();
        await Lambda.DisposeAsync();
        _ssm.Dispose();
    }
}
