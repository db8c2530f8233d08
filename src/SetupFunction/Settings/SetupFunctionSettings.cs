using Shared.Contract.Settings;

namespace SetupFunction.Settings;

/// <summary>
/// The setup function's environment: how it authenticates to OpenSearch (the functions' own OPENSEARCH_AUTH and
/// OPENSEARCH_SERVICE), the region, and the twin in the VPC it hands the OpenSearch work to, if any. Everything
/// about what to install comes with each request (the custom resource's properties), so a change of index names
/// or retention is an Update of the resource, which re-runs the setup.
/// </summary>
public sealed record SetupFunctionSettings
{
    /// <summary>How requests to OpenSearch are authenticated.</summary>
    public required OpenSearchAuth Auth { get; init; }

    /// <summary>The SigV4 signing name: es, or aoss for OpenSearch Serverless.</summary>
    public required string SigningService { get; init; }

    /// <summary>The region (AWS_REGION), for SigV4 when the endpoint's name carries none.</summary>
    public string? Region { get; init; }

    /// <summary>The function inside the domain's VPC that does the OpenSearch work, or null to do it here.</summary>
    public string? DelegateFunction { get; init; }

    /// <summary>True when the target is an OpenSearch Serverless collection.</summary>
    public bool Serverless => SigningService == "aoss";

    /// <summary>Reads and validates the settings.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names it.</exception>
    public static SetupFunctionSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var auth = reader.GetString(EnvironmentVariableNames.OpenSearchAuth, "basic").ToLowerInvariant() switch
        {
            "basic" => OpenSearchAuth.Basic,
            "sigv4" => OpenSearchAuth.SigV4,
            var other => throw new ConfigurationException(EnvironmentVariableNames.OpenSearchAuth, $"{EnvironmentVariableNames.OpenSearchAuth}='{other}' is not one of: basic, sigv4."),
        };
        var service = reader.GetString(EnvironmentVariableNames.OpenSearchService, "es").ToLowerInvariant();
        if (service is not ("es" or "aoss"))
        {
            throw new ConfigurationException(EnvironmentVariableNames.OpenSearchService, $"{EnvironmentVariableNames.OpenSearchService}='{service}' is not one of: es, aoss.");
        }

        var delegateFunction = reader.GetString(EnvironmentVariableNames.SetupDelegateFunction, string.Empty);
        return new SetupFunctionSettings
        {
            Auth = auth,
            SigningService = service,
            Region = reader.GetString(EnvironmentVariableNames.Region, string.Empty) is { Length: > 0 } region ? region : null,
            DelegateFunction = delegateFunction.Length == 0 ? null : delegateFunction,
        };
    }
}
