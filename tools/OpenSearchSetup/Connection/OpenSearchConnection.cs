namespace OpenSearchSetup.Connection;

/// <summary>The domain and the credentials the functions use, as read from SSM.</summary>
public sealed record OpenSearchConnection(Uri Endpoint, string User, string Password)
{
    /// <summary>
    /// The host parameter holds the endpoint with or without scheme; without one https is meant (SPEC §4).
    /// </summary>
    public static Uri ParseEndpoint(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var text = host.Contains("://", StringComparison.Ordinal) ? host : "https://" + host;
        return new Uri(text.TrimEnd('/') + "/");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Endpoint} as {User}";
}
