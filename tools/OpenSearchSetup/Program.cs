using Amazon.SimpleSystemsManagement;
using OpenSearchSetup.Connection;
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
    await new SetupRunner(new SsmConnectionSource(ssm, settings.ParameterPrefix), http, Console.Out).RunAsync(settings, cancellation.Token);
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or AmazonSimpleSystemsManagementException)
{
    Console.Error.WriteLine($"OpenSearch setup failed: {ex.Message}");
    return 1;
}
