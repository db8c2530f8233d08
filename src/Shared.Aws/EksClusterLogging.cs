using System.Buffers;
using System.Net;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// An EKS cluster's control-plane logging, through the REST-JSON API: <c>DescribeCluster</c>
/// (<c>GET /clusters/{name}</c>, whose <c>cluster.logging.clusterLogging</c> lists groups of types, each enabled or
/// not) and <c>UpdateClusterConfig</c> (<c>POST /clusters/{name}/update-config</c> with
/// <c>{"logging":{"clusterLogging":[{"types":[...],"enabled":true}]}}</c>, which starts an asynchronous update).
/// EKS refuses an update that changes nothing with <c>InvalidParameterException</c> "No changes needed"; that is
/// the state asked for, so it counts as success here.
/// </summary>
public sealed class EksClusterLogging(AwsRestJsonClient eks)
{
    /// <summary>The five control-plane log types, as EKS names them.</summary>
    public static IReadOnlyList<string> AllTypes { get; } = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    /// <summary>The log types enabled on the cluster now.</summary>
    /// <exception cref="AwsServiceException">EKS refused the call (e.g. <c>ResourceNotFoundException</c> for a cluster that does not exist).</exception>
    public async Task<IReadOnlySet<string>> EnabledTypesAsync(string clusterName, CancellationToken cancellationToken)
    {
        var response = await eks.SendAsync(HttpMethod.Get, $"clusters/{Uri.EscapeDataString(clusterName)}", null, null, cancellationToken);
        return eks.Read(response, "DescribeCluster", ReadEnabled);
    }

    /// <summary>Enables <paramref name="types"/>; returns the update's id, or null when they were all on already.</summary>
    /// <exception cref="AwsServiceException">EKS refused the update (e.g. <c>ResourceInUseException</c> while another update runs).</exception>
    public async Task<string?> EnableAsync(string clusterName, IReadOnlyList<string> types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("logging"u8);
            writer.WriteStartArray("clusterLogging"u8);
            writer.WriteStartObject();
            writer.WriteStartArray("types"u8);
            foreach (var type in types)
            {
                writer.WriteStringValue(type);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("enabled"u8, true);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        try
        {
            var response = await eks.SendAsync(HttpMethod.Post, $"clusters/{Uri.EscapeDataString(clusterName)}/update-config", buffer.WrittenMemory, null, cancellationToken);
            return eks.Read(response, "UpdateClusterConfig", ReadUpdateId);
        }
        catch (AwsServiceException ex) when (IsNoChange(ex))
        {
            return null;
        }
    }

    /// <summary>EKS's answer to an update that would change nothing.</summary>
    public static bool IsNoChange(AwsServiceException exception) =>
        exception is { StatusCode: HttpStatusCode.BadRequest, ErrorCode: "InvalidParameterException" }
        && exception.Message.Contains("No changes needed", StringComparison.OrdinalIgnoreCase);

    private static IReadOnlySet<string> ReadEnabled(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var enabled = new HashSet<string>(StringComparer.Ordinal);
        var cluster = document.RootElement.GetProperty("cluster");
        if (cluster.TryGetProperty("logging", out var logging) && logging.TryGetProperty("clusterLogging", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            foreach (var group in groups.EnumerateArray())
            {
                if (group.TryGetProperty("enabled", out var on) && on.ValueKind == JsonValueKind.True && group.TryGetProperty("types", out var types))
                {
                    foreach (var type in types.EnumerateArray())
                    {
                        enabled.Add(type.GetString() ?? string.Empty);
                    }
                }
            }
        }

        return enabled;
    }

    private static string? ReadUpdateId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("update", out var update) && update.TryGetProperty("id", out var id) ? id.GetString() : null;
    }
}
