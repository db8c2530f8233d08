namespace Shared.Aws;

/// <summary>The result of signing, with the intermediate strings that make a mismatch diagnosable.</summary>
/// <param name="CanonicalRequest">
/// Method, path, query, signed headers and payload hash, one per line, as SigV4 defines them; compare it with the
/// one AWS returns in a <c>SignatureDoesNotMatch</c> error to find the part that differs.
/// </param>
/// <param name="StringToSign">
/// <c>AWS4-HMAC-SHA256</c>, the request time, the credential scope (date/region/service/aws4_request) and the
/// hash of <paramref name="CanonicalRequest"/>: the text the derived key signs.
/// </param>
/// <param name="Signature">The hex signature.</param>
/// <param name="Authorization">The Authorization header value.</param>
public sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string Signature, string Authorization);
