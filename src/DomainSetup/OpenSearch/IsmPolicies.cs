using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace DomainSetup.OpenSearch;

/// <summary>
/// Retention through Index State Management: a policy per index prefix that deletes an index once it is
/// older than the retention, attached to new indices by its ism_template and to existing ones by
/// <c>_plugins/_ism/add</c>. Updating an existing policy needs its sequence number and primary term
/// (optimistic concurrency), which is why a 409 is followed by a read and a conditional write.
/// </summary>
public sealed class IsmPolicies(OpenSearchApi api)
{
    /// <summary>The policy id for an index prefix.</summary>
    public static string PolicyId(string indexPrefix) => $"{indexPrefix}-retention";

    /// <summary>The policy document: hot until <paramref name="retentionDays"/> old, then deleted.</summary>
    public static JsonObject Policy(string indexPrefix, int retentionDays) => new()
    {
        ["policy"] = new JsonObject
        {
            ["description"] = $"eks-history: delete {indexPrefix}-* indices {retentionDays} days after creation.",
            ["default_state"] = "hot",
            ["states"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "hot",
                    ["actions"] = new JsonArray(),
                    ["transitions"] = new JsonArray(new JsonObject
                    {
                        ["state_name"] = "delete",
                        ["conditions"] = new JsonObject { ["min_index_age"] = $"{retentionDays.ToString(CultureInfo.InvariantCulture)}d" },
                    }),
                },
                new JsonObject
                {
                    ["name"] = "delete",
                    ["actions"] = new JsonArray(new JsonObject { ["delete"] = new JsonObject() }),
                    ["transitions"] = new JsonArray(),
                }),
            ["ism_template"] = new JsonArray(new JsonObject
            {
                ["index_patterns"] = new JsonArray($"{indexPrefix}-*"),
                ["priority"] = 100,
            }),
        },
    };

    /// <summary>Creates or updates the policy and attaches it to the indices that already exist.</summary>
    public async Task InstallAsync(string indexPrefix, int retentionDays, CancellationToken cancellationToken)
    {
        var id = PolicyId(indexPrefix);
        var body = Policy(indexPrefix, retentionDays).ToJsonString();
        var path = $"_plugins/_ism/policies/{id}";
        var created = await api.SendAsync(HttpMethod.Put, path, body, cancellationToken);
        if (created.Status == HttpStatusCode.Conflict)
        {
            var current = (await api.SendAsync(HttpMethod.Get, path, null, cancellationToken)).EnsureSuccess($"GET {path}");
            var node = JsonNode.Parse(current.Body)!;
            var seqNo = node["_seq_no"]!.GetValue<long>();
            var primaryTerm = node["_primary_term"]!.GetValue<long>();
            (await api.SendAsync(HttpMethod.Put, $"{path}?if_seq_no={seqNo}&if_primary_term={primaryTerm}", body, cancellationToken))
                .EnsureSuccess($"PUT {path} (update)");
        }
        else
        {
            created.EnsureSuccess($"PUT {path}");
        }

        // Indices created before the policy existed are not matched by ism_template; an index that already
        // has a policy is reported in failed_indices, which is the harmless re-run case.
        var attach = await api.SendAsync(HttpMethod.Post, $"_plugins/_ism/add/{indexPrefix}-*", new JsonObject { ["policy_id"] = id }.ToJsonString(), cancellationToken);
        if (attach.Status != HttpStatusCode.NotFound)
        {
            attach.EnsureSuccess($"POST _plugins/_ism/add/{indexPrefix}-*");
        }
    }
}
