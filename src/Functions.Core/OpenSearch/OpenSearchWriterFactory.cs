using Functions.Core.Aws;
using Functions.Core.Configuration;
using Functions.Core.Credentials;
using Functions.Core.Runtime;
using Microsoft.Extensions.Logging;

namespace Functions.Core.OpenSearch;

/// <summary>
/// Builds a function's OpenSearch writer during init, the same way for both functions: the SSM caller,
/// the credentials (read once now, so a missing parameter is an init error that names it), the request
/// authentication, one HttpClient and the index templates to install before the first write.
/// </summary>
public static class OpenSearchWriterFactory
{
    /// <summary>Creates the writer.</summary>
    public static async Task<OpenSearchBulkWriter> CreateAsync(FunctionSettings settings, FunctionStartup startup, IReadOnlyList<IndexTemplate> templates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(startup);
        var awsCredentials = new DefaultChainCredentials();
        IRequestAuthenticator authenticator = settings.Auth == OpenSearchAuth.SigV4
            ? new SigV4RequestAuthenticator(awsCredentials, settings.SigningService, settings.Region, startup.Time)
            : BasicRequestAuthenticator.Instance;

        // AWS_REGION and AWS_ENDPOINT_URL(_SSM) as the SDKs read them; the latter is how tests point it at moto.
        var credentials = new SsmCredentialsSource(
            AwsJsonClient.Create(AwsService.Ssm, startup.Environment, awsCredentials, startup.Time),
            settings.SsmParameterPrefix,
            settings.CredentialsTtl,
            startup.Time,
            new Logger<SsmCredentialsSource>(startup.LoggerFactory),
            readLogin: authenticator.NeedsLogin);
        await credentials.GetAsync(cancellationToken);

        return new OpenSearchBulkWriter(
            OpenSearchHttp.CreateClient(),
            credentials,
            new BulkWriterOptions { MaxBytes = settings.BulkMaxBytes, Templates = templates, Authenticator = authenticator },
            startup.Time,
            new Logger<OpenSearchBulkWriter>(startup.LoggerFactory));
    }
}
