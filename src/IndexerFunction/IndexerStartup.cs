using Functions.Runtime;
using Functions.Runtime.Redelivery;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using Microsoft.Extensions.Logging;
using Shared.OpenSearch;

namespace IndexerFunction;

/// <summary>
/// Builds the handler once per process: settings validated, SSM read (so a missing parameter is an init
/// error that names it), one HttpClient, the index template ready to install before the first write, and
/// the SQS caller that re-queues messages held through an outage.
/// </summary>
public static class IndexerStartup
{
    /// <summary>The index template shipped as an embedded resource (the setup command reads the same file).</summary>
    public const string TemplateFileName = "eks-kubernetes-events.template.json";

    /// <summary>The initializer passed to <see cref="LambdaHost.RunAsync"/>.</summary>
    public static async Task<ILambdaHandler> InitializeAsync(FunctionStartup startup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startup);
        var settings = IndexerSettings.Load(startup.Environment);
        var writer = await OpenSearchWriterFactory.CreateAsync(settings.Function.OpenSearch, startup.Environment, startup.Time, startup.LoggerFactory, [Template(settings.EventsIndex)], cancellationToken);
        return new SqsBatchHandler(
            writer,
            settings,
            startup.MetricsOutput,
            startup.Time,
            new Logger<SqsBatchHandler>(startup.LoggerFactory),
            OutageHold.Create(settings.Function, startup));
    }

    /// <summary>
    /// The events index template, named after the index prefix and matching it: two stacks with different
    /// prefixes can share a domain without overwriting each other's template.
    /// </summary>
    public static IndexTemplate Template(string indexPrefix) =>
        IndexTemplate.ForPrefix(indexPrefix, IndexTemplate.ReadResource(typeof(IndexerStartup).Assembly, TemplateFileName), indexPrefix);
}
