using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Shared.Aws;
using Shared.Contract.Settings;
using Xunit;

namespace TestSupport.Moto;

/// <summary>
/// xunit fixture that owns one <see cref="MotoServer"/> for a test collection and hands out clients
/// already pointed at it: the AWS SDK's (to seed and inspect state) and our own <see cref="AwsJsonClient"/>.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    /// <summary>The running emulator.</summary>
    public MotoServer Server => _server ?? throw new InvalidOperationException("The moto fixture has not started.");

    /// <summary>Throwaway credentials moto accepts.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("testing", "testing");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>An SSM client for the emulator.</summary>
    public AmazonSimpleSystemsManagementClient CreateSsmClient() => new(Credentials, new AmazonSimpleSystemsManagementConfig
    {
        ServiceURL = Server.Endpoint.ToString(),
        AuthenticationRegion = MotoServer.Region,
    });

    /// <summary>
    /// Our own JSON-protocol caller of <paramref name="service"/> (what the functions use), pointed at the emulator
    /// through the same environment variables a published function gets.
    /// </summary>
    public AwsJsonClient CreateAwsJsonClient(AwsService service, AWSCredentials? credentials = null) =>
        AwsJsonClient.Create(service, new DictionaryEnvironmentVariables(Server.Environment), credentials ?? Credentials, TimeProvider.System);

    /// <summary>An SQS client for the emulator.</summary>
    public AmazonSQSClient CreateSqsClient() => new(Credentials, new AmazonSQSConfig
    {
        ServiceURL = Server.Endpoint.ToString(),
        AuthenticationRegion = MotoServer.Region,
    });
}
