using Amazon.SimpleSystemsManagement;
using Functions.Core.Credentials;
using Functions.Core.OpenSearch;
using Functions.Core.Runtime;
using IndexerFunction.Documents;
using Microsoft.Extensions.Logging;

namespace IndexerFunction;

/// <summary>
/// Builds the handler once per process: settings validated, SSM read (so a missing parameter is an init
/// error that names it), one HttpClient, the index template ready to install before the first write.
/// </summary>
public static class IndexerStartup
{
    /// <summary>Name of the events index template.</summary>
    public const string TemplateName = "eks-kubernetes-events";

    /// <summary>The initializer passed to <see cref="LambdaHost.RunAsync"/>.</summary>
    public static async Task<ILambdaHandler> InitializeAsync(FunctionStartup startup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startup);
        var settings = IndexerSettings.Load(startup.Environment);
        var ssm = new AmazonSimpleSystemsManagementClient();
        var credentials = new SsmCredentialsSource(
            ssm,
            settings.Function.SsmParameterPrefix,
            settings.Function.CredentialsTtl,
            startup.Time,
            new Logger<SsmCredentialsSource>(startup.LoggerFactory));
        await credentials.GetAsync(cancellationToken);

        var template = IndexTemplate.ForPrefix(
            TemplateName,
            IndexTemplate.ReadResource(typeof(IndexerStartup).Assembly, "eks-kubernetes-events.template.json"),
            settings.EventsIndex);
        var writer = new OpenSearchBulkWriter(
            OpenSearchHttp.CreateClient(),
            credentials,
            new BulkWriterOptions { MaxBytes = settings.Function.BulkMaxBytes, Templates = [template] },
            startup.Time,
            new Logger<OpenSearchBulkWriter>(startup.LoggerFactory));
        return new SqsBatchHandler(
            writer,
            new EventDocumentBuilder(settings.EventsIndex),
            settings.Function.ClusterName,
            startup.MetricsOutput,
            startup.Time,
            new Logger<SqsBatchHandler>(startup.LoggerFactory));
    }
}
