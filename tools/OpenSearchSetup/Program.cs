using Amazon.Runtime;
using DomainSetup.Setup;
using Microsoft.Extensions.Logging.Abstractions;
using OpenSearchSetup.Settings;
using Shared.Aws;
using Shared.Contract.Settings;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;

// Wires the command: options, SSM (standard AWS settings), one HttpClient, then the setup or the checks.
SetupSettings settings;
try
{
    settings = SetupSettings.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ConfigurationException ex)
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
    if (settings.Command == SetupCommand.Verify)
    {
        using var sqs = AwsJsonClient.Create(AwsService.Sqs, environment, awsCredentials, TimeProvider.System, region);
        using var cloudWatch = AwsJsonClient.Create(AwsService.CloudWatch, environment, awsCredentials, TimeProvider.System, region);
        var checks = new OpenSearchSetup.Verify.PipelineChecks(settings, credentials, authenticator, http, sqs, cloudWatch, TimeProvider.System);
        var report = new OpenSearchSetup.Verify.CheckReport(Console.Out, colour: !Console.IsOutputRedirected);
        await checks.RunAsync(report, cancellation.Token);
        return report.Failed == 0 ? 0 : 1;
    }

    await new SetupRunner(credentials, authenticator, http, settings.Assets, TimeProvider.System, Console.Out).RunAsync(settings.ToOptions(), cancellation.Token);
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or AwsServiceException or AmazonClientException or ConfigurationException or IOException)
{
    Console.Error.WriteLine($"OpenSearch {(settings.Command == SetupCommand.Verify ? "verify" : "setup")} failed: {ex.Message}");
    return 1;
}
