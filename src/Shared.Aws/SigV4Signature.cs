namespace Shared.Aws;

/// <summary>The result of signing, with the intermediate strings that make a mismatch diagnosable.</summary>
/// <param name="CanonicalRequest">The canonical request.</param>
/// <param name="StringToSign">The string to sign.</param>
/// <param name="Signature">The hex signature.</param>
/// <param name="Authorization">The Authorization header value.</param>
public sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string Signature, string Authorization);
