using Amazon.Runtime;

namespace Shared.Aws;

/// <summary>
/// Signs an <see cref="HttpRequestMessage"/> in place with <see cref="SigV4Signer"/>: the headers every
/// SigV4 request carries (<c>host</c>, <c>x-amz-date</c>, the session token when there is one), the caller's
/// own signed headers, and <c>Authorization</c>. Used for OpenSearch requests and for the AWS JSON protocol.
/// </summary>
public static class SigV4HttpRequest
{
    /// <summary>Signs <paramref name="request"/>, whose body is <paramref name="body"/> exactly as sent.</summary>
    /// <param name="request">The request; its URI gives the host, path and query.</param>
    /// <param name="body">The payload bytes.</param>
    /// <param name="keys">The credentials.</param>
    /// <param name="region">The signing region.</param>
    /// <param name="service">The signing name (<c>es</c>, <c>aoss</c>, <c>sqs</c>, <c>ssm</c>).</param>
    /// <param name="now">The signing time.</param>
    /// <param name="alsoSigned">Further headers to sign, lowercase names. A <c>content-type</c> is signed but must be
    /// set on the request's content by the caller; the others are added to the request here.</param>
    /// <param name="sendPayloadHash">Also send and sign <c>x-amz-content-sha256</c> (OpenSearch wants it).</param>
    public static void Sign(
        HttpRequestMessage request,
        ReadOnlySpan<byte> body,
        ImmutableCredentials keys,
        string region,
        string service,
        DateTimeOffset now,
        IReadOnlyDictionary<string, string>? alsoSigned = null,
        bool sendPayloadHash = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var host = uri.Authority;
        var amzDate = SigV4Signer.AmzDate(now);
        var payloadHash = SigV4Signer.PayloadHash(body);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        foreach (var (name, value) in alsoSigned ?? new Dictionary<string, string>())
        {
            headers[name] = value;
        }

        if (sendPayloadHash)
        {
            headers["x-amz-content-sha256"] = payloadHash;
        }

        if (!string.IsNullOrEmpty(keys.Token))
        {
            headers["x-amz-security-token"] = keys.Token;
        }

        var signature = SigV4Signer.Sign(
            new SigV4Request
            {
                Method = request.Method.Method,
                Path = uri.AbsolutePath,
                Query = uri.Query,
                Headers = headers,
                PayloadHash = payloadHash,
                AmzDate = amzDate,
                Region = region,
                Service = service,
                AccessKey = keys.AccessKey,
            },
            keys.SecretKey);

        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            if (name is not ("host" or "content-type"))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }
}
