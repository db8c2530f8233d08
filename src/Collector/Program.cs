using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Collector.Hosting;
using Collector.Sending;
using Collector.Settings;
using k8s;
using Microsoft.Extensions.Logging;
using Shared.Contract.Settings;
using Shared.Logging;

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
        catch (ConfigurationException ex)
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

        // IRSA (a web identity token) exchanges the token with STS; under Native AOT the SDK cannot find the STS
        // client by reflection, so it is registered here. Anonymous: that call is authenticated by the token.
        GlobalRuntimeDependencyRegistry.Instance.RegisterSecurityTokenServiceClient(
            context => new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), context.SecurityTokenServiceClientContextData.Region));

        IEnvelopeSink sink;
        try
        {
            sink = settings.DryRun
                ? new ConsoleEnvelopeSink(Console.OpenStandardOutput())
                : SqsHttpSink.Create(settings.QueueUrl!);
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        using var disposeSink = sink as IDisposable;

        // JSON lines on stdout; with --dry-run stdout carries the envelopes, so the logs go to stderr.
        using var loggers = new JsonLoggerFactory(new JsonLoggerProvider(
            settings.DryRun ? LineWriter.StandardError : LineWriter.StandardOutput,
            LogLevel.Information,
            TimeProvider.System));
        await using var app = CollectorHost.Build(settings, kubernetesConfiguration, sink, loggers);

        // SIGTERM (the kubelet) and Ctrl+C: stop in order, flushing what is buffered, instead of dying at once.
        using var shutdown = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        return await app.RunAsync(shutdown.Token);
    }
}
