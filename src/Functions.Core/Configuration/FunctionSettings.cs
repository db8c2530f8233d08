namespace Functions.Core.Configuration;

/// <summary>
/// The settings both functions share (docs/configuration.md), read and validated once at init so a
/// mistake is an init error that names the variable, not a failure on every message.
/// </summary>
public sealed record FunctionSettings
{
    /// <summary>Default largest bulk body: 5 MiB.</summary>
    public const long DefaultBulkMaxBytes = 5L * 1024 * 1024;

    /// <summary>Default credentials cache lifetime.</summary>
    public const int DefaultCredentialsTtlSeconds = 300;

    /// <summary>Prefix of the SSM parameters host, user and password.</summary>
    public required string SsmParameterPrefix { get; init; }

    /// <summary>Cluster name where the input does not carry one; may be empty.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Largest bulk body in bytes.</summary>
    public required int BulkMaxBytes { get; init; }

    /// <summary>How long credentials are reused before SSM is read again.</summary>
    public required TimeSpan CredentialsTtl { get; init; }

    /// <summary>How requests to OpenSearch are authenticated.</summary>
    public OpenSearchAuth Auth { get; init; } = OpenSearchAuth.Basic;

    /// <summary>The SigV4 signing name (<c>es</c> or <c>aoss</c>); used with <see cref="OpenSearchAuth.SigV4"/>.</summary>
    public string SigningService { get; init; } = "es";

    /// <summary>The AWS region (AWS_REGION), for SigV4 when the endpoint's name does not carry one.</summary>
    public string? Region { get; init; }

    /// <summary>Reads and validates the shared settings.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names it.</exception>
    public static FunctionSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var clusterName = reader.GetString(EnvironmentVariableNames.ClusterName, string.Empty);
        var prefix = reader.GetString(EnvironmentVariableNames.SsmParameterPrefix, string.Empty);
        if (prefix.Length == 0)
        {
            if (clusterName.Length == 0)
            {
                throw new ConfigurationException(
                    EnvironmentVariableNames.SsmParameterPrefix,
                    $"{EnvironmentVariableNames.SsmParameterPrefix} is not set and {EnvironmentVariableNames.ClusterName} is empty, so the default prefix /eksworkshop/<cluster>/opensearch cannot be formed: set one of them.");
            }

            prefix = $"/eksworkshop/{clusterName}/opensearch";
        }

        if (!prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new ConfigurationException(
                EnvironmentVariableNames.SsmParameterPrefix,
                $"{EnvironmentVariableNames.SsmParameterPrefix}='{prefix}' must start with '/' and not end with '/' (e.g. /eksworkshop/my-cluster/opensearch).");
        }

        var auth = reader.GetString(EnvironmentVariableNames.OpenSearchAuth, "basic").ToLowerInvariant() switch
        {
            "basic" => OpenSearchAuth.Basic,
            "sigv4" => OpenSearchAuth.SigV4,
            var other => throw new ConfigurationException(EnvironmentVariableNames.OpenSearchAuth, $"{EnvironmentVariableNames.OpenSearchAuth}='{other}' is not one of: basic, sigv4."),
        };
        var service = reader.GetString(EnvironmentVariableNames.OpenSearchService, "es").ToLowerInvariant();
        if (service is not ("es" or "aoss"))
        {
            throw new ConfigurationException(EnvironmentVariableNames.OpenSearchService, $"{EnvironmentVariableNames.OpenSearchService}='{service}' is not one of: es (OpenSearch Service domains), aoss (OpenSearch Serverless).");
        }

        return new FunctionSettings
        {
            Auth = auth,
            SigningService = service,
            Region = environment.Get(EnvironmentVariableNames.Region) is { Length: > 0 } region ? region : null,
            SsmParameterPrefix = prefix,
            ClusterName = clusterName,
            // 100 KiB is below any sensible bulk and 100 MiB is OpenSearch's default http.max_content_length.
            BulkMaxBytes = (int)reader.GetInt64(EnvironmentVariableNames.BulkMaxBytes, DefaultBulkMaxBytes, 100 * 1024, 100L * 1024 * 1024),
            CredentialsTtl = TimeSpan.FromSeconds(reader.GetInt64(EnvironmentVariableNames.CredentialsTtlSeconds, DefaultCredentialsTtlSeconds, 0, 86_400)),
        };
    }
}
