using System.Net.Http.Headers;
using Amazon.Runtime;

namespace Shared.Aws;

/// <summary>
/// Builds one request of the AWS JSON protocol (awsJson1_0 / awsJson1_1): a POST of the JSON body to the
/// endpoint's root, the operation in <c>X-Amz-Target</c>, signed with SigV4. This is what the AWS SDKs send
/// for SQS and SSM, without their per-call object model.
/// </summary>
public static class AwsJsonRequest
{
    /// <summary>Creates the signed request; the body is sent as given, not copied.</summary>
    /// <param name="service">The service: signing name, target prefix and content type.</param>
    /// <param name="endpoint">Where to POST and the signing region.</param>
    /// <param name="operation">The operation, e.g. <c>GetParameters</c>.</param>
    /// <param name="body">The request JSON, exactly as sent.</param>
    /// <param name="keys">The credentials to sign with (a session token is sent when present).</param>
    /// <param name="now">The signing time.</param>
    public static HttpRequestMessage Create(AwsService service, AwsEndpoint endpoint, string operation, ReadOnlyMemory<byte> body, ImmutableCredentials keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(keys);
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(service.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = content };

        // Everything the service reads to route and authorise the call is signed: the operation (x-amz-target)
        // and the content type select what the body means.
        SigV4HttpRequest.Sign(
            request,
            body.Span,
            keys,
            endpoint.Region,
            service.SigningName,
            now,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["content-type"] = service.ContentType,
                ["x-amz-target"] = service.TargetPrefix + "." + operation,
            });
        return request;
    }
}
