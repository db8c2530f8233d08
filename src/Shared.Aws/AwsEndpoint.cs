using Shared.Contract.Settings;

namespace Shared.Aws;

/// <summary>
/// Where a service's requests go and which region signs them, resolved the way the AWS SDKs do it:
/// the endpoint from <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, else <c>AWS_ENDPOINT_URL</c> (both ignored when
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true), else <c>https://&lt;service&gt;.&lt;region&gt;.amazonaws.com</c>
/// (<c>.amazonaws.com.cn</c> for <c>cn-</c> regions); the region from <c>AWS_REGION</c>, else
/// <c>AWS_DEFAULT_REGION</c>, else what the caller found elsewhere (an AWS profile, a queue URL).
/// </summary>
/// <remarks>
/// Not supported, because nothing here uses them: FIPS and dual-stack endpoints
/// (<c>AWS_USE_FIPS_ENDPOINT</c>, <c>AWS_USE_DUALSTACK_ENDPOINT</c>) and <c>endpoint_url</c> in an AWS profile;
/// set the service's endpoint variable instead.
/// </remarks>
/// <param name="Url">The endpoint the requests are POSTed to.</param>
/// <param name="Region">The SigV4 signing region.</param>
public sealed record AwsEndpoint(Uri Url, string Region)
{
    /// <summary>Resolves the endpoint and region, or throws naming the variable to set or fix.</summary>
    /// <param name="service">The service called.</param>
    /// <param name="environment">The variables to read.</param>
    /// <param name="fallbackRegion">The region when neither variable gives one, or null.</param>
    /// <exception cref="ConfigurationException">No region can be told, or an endpoint variable is not an http(s) URL.</exception>
    public static AwsEndpoint Resolve(AwsService service, IEnvironmentVariables environment, string? fallbackRegion = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var region = RegionFrom(environment) ?? (string.IsNullOrWhiteSpace(fallbackRegion) ? null : fallbackRegion.Trim())
            ?? throw new ConfigurationException(
                EnvironmentVariableNames.Region,
                $"{EnvironmentVariableNames.Region} is not set (nor {EnvironmentVariableNames.DefaultRegion}), so the {service} endpoint and signing region cannot be told: set it, e.g. {EnvironmentVariableNames.Region}=eu-west-1.");
        var configured = ConfiguredUrl(service, environment, out var variable, out var problem);
        if (problem is not null)
        {
            throw new ConfigurationException(variable!, problem);
        }

        return new AwsEndpoint(configured ?? RegionalUrl(service, region), region);
    }

    /// <summary><c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>; null when neither is set (blank counts as not set).</summary>
    public static string? RegionFrom(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Get(environment, EnvironmentVariableNames.Region) ?? Get(environment, EnvironmentVariableNames.DefaultRegion);
    }

    /// <summary>
    /// The endpoint the environment configures for <paramref name="service"/>: its own variable, else the general
    /// one, unless configured endpoints are ignored. Null when none is set, or when the one set is not an
    /// http(s) URL; then <paramref name="problem"/> says so and <paramref name="variable"/> names it.
    /// </summary>
    public static Uri? ConfiguredUrl(AwsService service, IEnvironmentVariables environment, out string? variable, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(environment);
        variable = null;
        problem = null;
        if (string.Equals(Get(environment, EnvironmentVariableNames.IgnoreConfiguredEndpointUrls), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)[service.EndpointVariable, EnvironmentVariableNames.EndpointUrl])
        {
            if (Get(environment, name) is not { } text)
            {
                continue;
            }

            variable = name;
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
            {
                return url;
            }

            problem = $"{name} must be an http(s) URL, got '{text}'.";
            return null;
        }

        return null;
    }

    /// <summary>The public regional endpoint: <c>https://&lt;prefix&gt;.&lt;region&gt;.amazonaws.com/</c> (<c>.com.cn</c> in China).</summary>
    public static Uri RegionalUrl(AwsService service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }

    private static string? Get(IEnvironmentVariables environment, string name) =>
        environment.Get(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
