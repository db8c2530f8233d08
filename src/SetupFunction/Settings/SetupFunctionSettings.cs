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

    /// <summary>The first line of the init error that lists every bad setting.</summary>
    public const string ErrorHeading = "Invalid setup function settings (environment variables):";

    /// <summary>Reads and validates the settings, reporting every bad one at once.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names each one.</exception>
    public static SetupFunctionSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var settings = new SetupFunctionSettings
        {
            Auth = reader.GetChoice(EnvironmentVariableNames.OpenSearchAuth, "basic", [("basic", OpenSearchAuth.Basic), ("sigv4", OpenSearchAuth.SigV4)]),
            SigningService = reader.GetChoice(EnvironmentVariableNames.OpenSearchService, "es", [("es", "es"), ("aoss", "aoss")]),
            Region = reader.GetOptional(EnvironmentVariableNames.Region),
            DelegateFunction = reader.GetOptional(EnvironmentVariableNames.SetupDelegateFunction),
        };
        reader.ThrowIfInvalid(ErrorHeading);
        return settings;
    }
}
