namespace Shared.Contract.Settings;

/// <summary>How the functions authenticate to OpenSearch (OPENSEARCH_AUTH).</summary>
public enum OpenSearchAuth
{
    /// <summary>HTTP basic authentication with the user and password parameters.</summary>
    Basic,

    /// <summary>AWS Signature Version 4 with the function's own credentials; only the host parameter is read.</summary>
    SigV4,
}
