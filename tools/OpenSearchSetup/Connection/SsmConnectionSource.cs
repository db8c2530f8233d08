using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace OpenSearchSetup.Connection;

/// <summary>
/// Reads &lt;prefix&gt;/host, /user and /password with one GetParameters call with decryption, the same
/// parameters (and the same call) the functions use, so a setup that works proves their settings too.
/// </summary>
public sealed class SsmConnectionSource(IAmazonSimpleSystemsManagement ssm, string prefix) : IConnectionSource
{
    /// <inheritdoc />
    public async Task<OpenSearchConnection> GetAsync(CancellationToken cancellationToken)
    {
        var names = new[] { $"{prefix}/host", $"{prefix}/user", $"{prefix}/password" };
        var response = await ssm.GetParametersAsync(new GetParametersRequest { Names = [.. names], WithDecryption = true }, cancellationToken);
        var missing = response.InvalidParameters ?? [];
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"SSM parameter(s) {string.Join(", ", missing)} not found; see docs/deploy.md for how to set them.");
        }

        var values = (response.Parameters ?? []).ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        return new OpenSearchConnection(OpenSearchConnection.ParseEndpoint(values[names[0]]), values[names[1]], values[names[2]]);
    }
}
