namespace Shared.OpenSearch.Credentials;

/// <summary>Where the OpenSearch domain is and how to log in to it.</summary>
/// <remarks>The password is deliberately left out of <see cref="ToString"/>: this object gets logged.</remarks>
public sealed class OpenSearchCredentials(Uri endpoint, string user, string password)
{
    /// <summary>The domain endpoint, with scheme (https:// when the parameter had none).</summary>
    public Uri Endpoint { get; } = endpoint;

    /// <summary>The master or internal user.</summary>
    public string User { get; } = user;

    /// <summary>The user's password. Never log it, never put it in an exception message.</summary>
    public string Password { get; } = password;

    /// <summary>
    /// Reads the <c>host</c> parameter: an endpoint with or without scheme (without one, https:// is meant)
    /// and without a path.
    /// </summary>
    /// <returns>The endpoint, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public static Uri? ParseEndpoint(string host, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(host);
        var text = host.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
        {
            problem = $"'{host}' is not a domain endpoint (expected e.g. search-domain-abc.eu-west-1.es.amazonaws.com or https://host:443)";
            return null;
        }

        problem = null;
        return new UriBuilder(uri) { Path = "/", Query = string.Empty, Fragment = string.Empty }.Uri;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Endpoint} as {User}";
}
