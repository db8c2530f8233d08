using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shared.Aws;

/// <summary>
/// AWS Signature Version 4 (AWS4-HMAC-SHA256), the pure computation: canonical request, string to sign,
/// signature. It makes no call and its only state is the last derived signing key (a function of its
/// inputs), so it is checked against the published test suite and against botocore's signer byte for byte
/// (tests/Shared.Aws.Tests/SigV4SignerTests).
/// </summary>
public static class SigV4Signer
{
    /// <summary>The algorithm name.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // The last signing key derived; replaced whole, so a reader on another thread sees one consistent entry.
    private static DerivedKey? _lastKey;

    /// <summary>The <c>x-amz-date</c> form of a time: yyyyMMddTHHmmssZ, UTC.</summary>
    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Lowercase hex SHA-256 of the payload: the exact bytes that go on the wire.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>Computes the signature of a request.</summary>
    /// <param name="request">What is signed.</param>
    /// <param name="secretKey">The secret access key.</param>
    /// <returns>The canonical request, the string to sign, and the Authorization header value.</returns>
    public static SigV4Signature Sign(SigV4Request request, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secretKey);
        var date = request.AmzDate[..8];
        var scope = $"{date}/{request.Region}/{request.Service}/aws4_request";
        var headers = request.Headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: CanonicalHeaderValue(h.Value)))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', headers.Select(h => h.Name));
        var canonical = new StringBuilder()
            .Append(request.Method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalPath(request.Path)).Append('\n')
            .Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(request.PayloadHash);
        var canonicalRequest = canonical.ToString();
        var stringToSign = $"{Algorithm}\n{request.AmzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = SigningKey(secretKey, date, request.Region, request.Service);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={request.AccessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signature, authorization);
    }

    /// <summary>The key derived from the secret for a day, region and service (four HMACs), reused while they stay the same.</summary>
    private static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        // Every request of a function has the same secret, region and service, and the date changes once a
        // day: the derivation is done once a day instead of for every request.
        var last = _lastKey;
        if (last is not null && last.Date == date && last.Region == region && last.Service == service && string.Equals(last.Secret, secretKey, StringComparison.Ordinal))
        {
            return last.Key;
        }

        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        _lastKey = new DerivedKey(secretKey, date, region, service, key);
        return key;
    }

    /// <summary>
    /// The canonical URI for services other than S3: every path segment URI-encoded twice. The path given
    /// is already encoded once (as in <see cref="Uri.AbsolutePath"/>), so it is encoded once more here.
    /// </summary>
    private static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        return string.Join('/', path.Split('/').Select(Encode));
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    private static string CanonicalHeaderValue(string value)
    {
        // Trim, and fold runs of spaces to one, as the specification requires.
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    builder.Append(c);
                }

                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }

        return builder.ToString();
    }

    /// <summary>RFC 3986 encoding: everything but unreserved characters as %XX, uppercase hex.</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private sealed record DerivedKey(string Secret, string Date, string Region, string Service, byte[] Key);
}
