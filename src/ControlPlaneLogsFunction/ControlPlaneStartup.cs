using ControlPlaneLogsFunction.Documents;
using ControlPlaneLogsFunction.Handling;
using ControlPlaneLogsFunction.Settings;
using Functions.Runtime;
using Functions.Runtime.Redelivery;
using Microsoft.Extensions.Logging;
using Shared.OpenSearch;

namespace ControlPlaneLogsFunction;

/// <summary>Builds the handler once per process: settings, SSM credentials, the bulk writer and its index template, the SQS caller that holds failed deliveries.</summary>
public static class ControlPlaneStartup
{
    /// <summary>The template file shipped as an embedded resource (the infra dashboards read the same file).</summary>
    public const string TemplateFileName = "eks-control-plane-logs.template.json";

    /// <summary>Initializes the function; a fault here is an init error that names the setting at fault.</summary>
    public static async Task<ILambdaHandler> InitializeAsync(FunctionStartup startup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startup);
        var settings = ControlPlaneSettings.Load(startup.Environment);
        var writer = await OpenSearchWriterFactory.CreateAsync(settings.Shared.OpenSearch, startup.Environment, startup.Time, startup.LoggerFactory, [Template(settings.IndexPrefix)], cancellationToken);
        return new ControlPlaneLogsHandler(
            new ControlPlaneDocumentBuilder(settings.IndexPrefix, settings.Shared.ClusterName),
            writer,
            new ControlPlaneOptions(),
            startup.Time,
            startup.MetricsOutput,
            new Logger<ControlPlaneLogsHandler>(startup.LoggerFactory),
            OutageHold.Create(settings.Shared, startup));
    }

    /// <summary>The index template, its patterns pointed at <paramref name="indexPrefix"/> and named after it.</summary>
    public static IndexTemplate Template(string indexPrefix) =>
        IndexTemplate.ForPrefix(indexPrefix, IndexTemplate.ReadResource(typeof(ControlPlaneStartup).Assembly, TemplateFileName), indexPrefix);
}
