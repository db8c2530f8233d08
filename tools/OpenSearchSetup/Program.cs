using Amazon.Runtime.Credentials;
using Amazon.SimpleSystemsManagement;
using Functions.Core.Configuration;
using Functions.Core.Credentials;
using Functions.Core.OpenSearch;
using Microsoft.Extensions.Logging.Abstractions;
using OpenSearchSetup.Settings;
using OpenSearchSetup.Setup;

// Wires the setup: options, SSM (standard AWS SDK settings), one HttpClient, then the runner.
SetupSettings settings;
try
{
    settings = SetupSettings.Parse(args, Environment.GetEnvironmentVariable);
}
catch (SetupSettingsException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SetupSettings.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var ssm = new AmazonSimpleSystemsManagementClient();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
try
{
    IRequestAuthenticator authenticator = settings.Auth == "sigv4"
        ? new SigV4RequestAuthenticator(DefaultAWSCredentialsIdentityResolver.GetCredentials(), settings.Service, Environment.GetEnvironmentVariable("AWS_REGION"), TimeProvider.System)
        : BasicRequestAuthenticator.Instance;
    var credentials = new SsmCredentialsSource(ssm, settings.ParameterPrefix, TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance, readLogin: authenticator.NeedsLogin);
    await new SetupRunner(credentials, authenticator, http, Console.Out).RunAsync(settings, cancellation.Token);
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or AmazonSimpleSystemsManagementException or ConfigurationException)
{
    Console.Error.WriteLine($"OpenSearch setup failed: {ex.Message}");
    return 1;
}
