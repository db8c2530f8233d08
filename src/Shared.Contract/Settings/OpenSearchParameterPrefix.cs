namespace Shared.Contract.Settings;

/// <summary>
/// Where the OpenSearch endpoint and login live in SSM Parameter Store (docs/contract.md, "Settings"): the
/// functions, the setup tool and the CDK app all default to the workshop's <c>/eksworkshop/&lt;cluster&gt;/opensearch</c>
/// and accept only the same well-formed prefixes.
/// </summary>
public static class OpenSearchParameterPrefix
{
    /// <summary>The default, as shown to users.</summary>
    public const string DefaultTemplate = "/eksworkshop/<cluster>/opensearch";

    /// <summary>The default prefix of the cluster named <paramref name="clusterName"/>.</summary>
    public static string DefaultFor(string clusterName) => $"/eksworkshop/{clusterName}/opensearch";

    /// <summary>Whether <paramref name="prefix"/> is an SSM path: starts with '/', does not end with '/', no empty segment.</summary>
    public static bool IsWellFormed(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix.StartsWith('/') && !prefix.EndsWith('/') && !prefix.Contains("//", StringComparison.Ordinal);
    }

    /// <summary>What a well-formed prefix looks like, for error messages.</summary>
    public const string Rule = "must start with '/', not end with '/', and have no empty segment (e.g. /eksworkshop/my-cluster/opensearch)";
}
