using Microsoft.Extensions.Logging;
using Shared.Aws;
using Shared.Contract.Settings;
using Shared.OpenSearch.Credentials;

namespace Shared.OpenSearch;

/// <summary>
/// Builds a function's OpenSearch writer during init, the same way for both functions: the SSM caller,
/// the credentials (read once now, so a missing parameter is an init error that names it), the request
/// authentication, one HttpClient and the index templates to install before the first write.
/// </summary>
public static class OpenSearchWriterFactory
{
    /// <summary>
    /// Builds the function's writer from its settings: authentication (basic or SigV4), the SSM credentials source,
    /// which it reads once here so that a missing parameter fails init, and the index templates to install.
    /// </summary>
    /// <param name="settings">Authentication, SSM prefix, credentials lifetime, bulk size.</param>
    /// <param name="environment">Where the AWS endpoint and region variables are read.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Loggers for the credentials source and the writer.</param>
    /// <param name="templates">The index templates to install before the first write.</param>
    /// <param name="cancellationToken">Cancels the first credentials read.</param>
    public static async Task<OpenSearchBulkWriter> CreateAsync(OpenSearchConnectionSettings settings, IEnvironmentVariables environment, TimeProvider time, ILoggerFactory loggerFactory, IReadOnlyList<IndexTemplate> templates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var awsCredentials = new DefaultChainCredentials();
        IRequestAuthenticator authenticator = settings.Auth == OpenSearchAuth.SigV4
            ? new SigV4RequestAuthenticator(awsCredentials, settings.SigningService, settings.Region, time)
            : BasicRequestAuthenticator.Instance;

        // AWS_REGION and AWS_ENDPOINT_URL(_SSM) as the SDKs read them; the latter is how tests point it at moto.
        var credentials = new SsmCredentialsSource(
            AwsJsonClient.Create(AwsService.Ssm, environment, awsCredentials, time),
            settings.SsmParameterPrefix,
            settings.CredentialsTtl,
            time,
            new Logger<SsmCredentialsSource>(loggerFactory),
            readLogin: authenticator.NeedsLogin);
        await credentials.GetAsync(cancellationToken);

        return new OpenSearchBulkWriter(
            OpenSearchHttp.CreateClient(),
            credentials,
            new BulkWriterOptions { MaxBytes = settings.BulkMaxBytes, Templates = templates, Authenticator = authenticator },
            time,
            new Logger<OpenSearchBulkWriter>(loggerFactory));
    }
}
