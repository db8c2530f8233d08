using Amazon.Runtime;
using Shared.Aws;
using Shared.OpenSearch.Credentials;

namespace Shared.OpenSearch;

/// <summary>
/// Signs every request with AWS Signature Version 4 and the function's own credentials (the AWS SDK's
/// credential chain: in Lambda, the execution role). For domains with IAM access policies and for
/// OpenSearch Serverless, which accepts nothing else.
/// </summary>
/// <remarks>
/// The credentials are asked for on every request: the SDK's refreshing providers renew them before they
/// expire, so a long-lived process never signs with expired keys. The payload hash covers the exact bytes
/// sent and is always sent as <c>x-amz-content-sha256</c>, which Serverless requires.
/// </remarks>
public sealed class SigV4RequestAuthenticator(AWSCredentials credentials, string service, string? defaultRegion, TimeProvider time) : IRequestAuthenticator
{
    /// <summary>The signing name of OpenSearch Service domains.</summary>
    public const string DomainService = "es";

    /// <summary>The signing name of OpenSearch Serverless collections.</summary>
    public const string ServerlessService = "aoss";

    /// <inheritdoc />
    public bool NeedsLogin => false;

    /// <summary>The signing name in use.</summary>
    public string Service { get; } = service;

    /// <inheritdoc />
    public async ValueTask AuthenticateAsync(HttpRequestMessage request, OpenSearchCredentials login, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var keys = await credentials.GetCredentialsAsync();
        var region = RegionOf(uri.Host) ?? defaultRegion
            ?? throw new InvalidOperationException($"Cannot tell the region of {uri.Host} for SigV4: set AWS_REGION.");
        SigV4HttpRequest.Sign(request, body.Span, keys, region, Service, time.GetUtcNow(), sendPayloadHash: true);
    }

    /// <summary>
    /// The region in an OpenSearch endpoint's name: <c>search-x-abc.eu-west-1.es.amazonaws.com</c>,
    /// <c>vpc-...</c>, or a Serverless <c>id.us-east-1.aoss.amazonaws.com</c>; null for other names.
    /// </summary>
    public static string? RegionOf(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var parts = host.Split('.');
        for (var i = 1; i + 1 < parts.Length; i++)
        {
            if (parts[i + 1] is "es" or "aoss" && i + 2 < parts.Length && parts[i + 2] == "amazonaws")
            {
                return parts[i];
            }
        }

        return null;
    }
}
