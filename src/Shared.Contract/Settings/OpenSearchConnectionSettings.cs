namespace Shared.Contract.Settings;

/// <summary>
/// How a program reaches OpenSearch, as the functions' settings give it: what the OpenSearch writer needs, and
/// no more, so the writer does not depend on the Lambda runtime's settings.
/// </summary>
public sealed record OpenSearchConnectionSettings
{
    /// <summary>The SSM parameter prefix holding <c>host</c>, <c>user</c> and <c>password</c>.</summary>
    public required string SsmParameterPrefix { get; init; }

    /// <summary>How long credentials read from SSM are reused.</summary>
    public required TimeSpan CredentialsTtl { get; init; }

    /// <summary>The largest <c>_bulk</c> body, in bytes.</summary>
    public required int BulkMaxBytes { get; init; }

    /// <summary>How requests are authenticated.</summary>
    public OpenSearchAuth Auth { get; init; } = OpenSearchAuth.Basic;

    /// <summary>The SigV4 signing name: <c>es</c> or <c>aoss</c>.</summary>
    public string SigningService { get; init; } = "es";

    /// <summary>The signing region when the endpoint does not tell it, or null.</summary>
    public string? Region { get; init; }
}
