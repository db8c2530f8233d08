using Amazon.SQS;
using Collector.Hosting;
using Collector.Sending;
using Collector.Settings;
using k8s;

namespace Collector;

/// <summary>Wiring only: settings, Kubernetes configuration and the sink, then the host.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
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

        // In a pod: the service account. Elsewhere: the current context of $KUBECONFIG or ~/.kube/config.
        KubernetesClientConfiguration kubernetesConfiguration;
        try
        {
            kubernetesConfiguration = KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildDefaultConfig();
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            await Console.Error.WriteLineAsync("No Kubernetes configuration: not in a cluster, and the kubeconfig could not be used: " + ex.Message);
            return 2;
        }

        IEnvelopeSink sink = settings.DryRun
            ? new ConsoleEnvelopeSink(Console.OpenStandardOutput())
            : new SqsEnvelopeSink(new AmazonSQSClient(), settings.QueueUrl!);

        await using var app = CollectorHost.Build(settings, kubernetesConfiguration, sink, configureLogging: settings.DryRun
            ? logging => logging.AddConsole(console => console.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace)
            : null);
        await app.RunAsync();
        return Environment.ExitCode;
    }
}
