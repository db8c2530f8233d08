namespace Shared.OpenSearch.Credentials;

/// <summary>What <c>GetParameters</c> answered.</summary>
/// <param name="Values">The values by parameter name (decrypted).</param>
/// <param name="InvalidParameters">The names asked for that do not exist.</param>
internal sealed record GetParametersResult(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> InvalidParameters);
