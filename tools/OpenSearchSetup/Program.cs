using Amazon.Runtime;
using Functions.Core.Aws;
using Functions.Core.Configuration;
using Functions.Core.Credentials;
using Functions.Core.OpenSearch;
using Microsoft.Extensions.Logging.Abstractions;
using OpenSearchSetup.Settings;
using OpenSearchSetup.Setup;

// Wires the setup: options, SSM (standard AWS settings), one HttpClient, then the runner.
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
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
try
{
    // On a workstation the region is often only in the AWS profile (~/.aws/config) or, on an EC2-based IDE,
    // in instance metadata: the SDK's fallback finds it there when AWS_REGION and AWS_DEFAULT_REGION are unset.
    var environment = ProcessEnvironmentVariables.Instance;
    var region = AwsEndpoint.RegionFrom(environment) ?? FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
    var awsCredentials = new DefaultChainCredentials();
    using var ssm = AwsJsonClient.Create(AwsService.Ssm, environment, awsCredentials, TimeProvider.System, region);
    IRequestAuthenticator authenticator = settings.Auth == "sigv4"
        ? new SigV4RequestAuthenticator(awsCredentials, settings.Service, ssm.Endpoint.Region, TimeProvider.System)
        : BasicRequestAuthenticator.Instance;
    var credentials = new SsmCredentialsSource(ssm, settings.ParameterPrefix, TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance, readLogin: authenticator.NeedsLogin);
    await new SetupRunner(credentials, authenticator, http, Console.Out).RunAsync(settings, cancellation.Token);
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or AwsServiceException or AmazonClientException or ConfigurationException)
{
    Console.Error.WriteLine($"OpenSearch setup failed: {ex.Message}");
    return 1;
}
