namespace Shared.Aws;

/// <summary>What SigV4 signs.</summary>
public sealed record SigV4Request
{
    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>The path, as encoded on the wire (e.g. <c>/_bulk</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The query string, without or with its leading '?'.</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>The headers to sign (at least <c>host</c> and <c>x-amz-date</c>), by name.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Lowercase hex SHA-256 of the exact body bytes.</summary>
    public required string PayloadHash { get; init; }

    /// <summary>The request time, <c>x-amz-date</c> form.</summary>
    public required string AmzDate { get; init; }

    /// <summary>The region, e.g. eu-west-1.</summary>
    public required string Region { get; init; }

    /// <summary>The signing name: <c>es</c> for OpenSearch Service domains, <c>aoss</c> for Serverless.</summary>
    public required string Service { get; init; }

    /// <summary>The access key id.</summary>
    public required string AccessKey { get; init; }
}
