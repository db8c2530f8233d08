using Amazon.SQS;
using Collector.Hosting;
using Collector.Sending;
using Collector.Settings;
using k8s;

// Wiring only: settings, Kubernetes configuration and the sink, then the host.
var dryRun = args.Contains("--dry-run");
CollectorSettings settings;
try
{
    settings = CollectorSettingsReader.FromProcessEnvironment(dryRun);
}
catch (InvalidSettingsException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

// In a pod: the service account; elsewhere: the current kubeconfig context ($KUBECONFIG or ~/.kube/config).
var kubernetesConfiguration = KubernetesClientConfiguration.IsInCluster()
    ? KubernetesClientConfiguration.InClusterConfig()
    : KubernetesClientConfiguration.BuildConfigFromConfigFile();

IEnvelopeSink sink = settings.DryRun
    ? new ConsoleEnvelopeSink(Console.OpenStandardOutput())
    : new SqsEnvelopeSink(new AmazonSQSClient(), settings.QueueUrl!);

await using var app = CollectorHost.Build(settings, kubernetesConfiguration, sink, configureLogging: settings.DryRun
    ? logging => logging.AddConsole(console => console.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace)
    : null);
await app.RunAsync();
return Environment.ExitCode;
