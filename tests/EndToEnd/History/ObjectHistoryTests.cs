using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Functions.Runtime.Events.Sqs;
using TestSupport;
using TestSupport.CloudWatchLogs;
using TestSupport.Dashboards;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.OpenSearch;
using TestSupport.Processes;

namespace EndToEnd.Tests.History;

/// <summary>
/// The object history across both indices: the scenario's events through the published IndexerFunction,
/// its audit lines through the published ControlPlaneLogsFunction, both into one OpenSearch double. The
/// same object must carry the same <c>object</c> block in both indices, and the "Object history" search
/// must show its events and the requests that changed it.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ObjectHistoryTests(MotoFixture moto)
{
    private static readonly string[] Identity = ["kind", "resource", "apiGroup", "namespace", "name"];

    [Fact]
    public async Task BothFunctions_OneObjectsEventsAndAuditLines_CarryTheSameObjectBlock()
    {
        await using var domain = await OpenSearchDouble.StartAsync();
        await using var indexerRuntime = await RuntimeApiDouble.StartAsync();
        await using var controlPlaneRuntime = await RuntimeApiDouble.StartAsync();
        var prefix = "/e2e/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        using (var ssm = moto.CreateSsmClient())
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = domain.Endpoint.ToString(), Type = ParameterType.String });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/user", Value = domain.User, Type = ParameterType.SecureString });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = domain.Password, Type = ParameterType.SecureString });
        }

        await using var indexer = FunctionProcess.Start(await PublishedFunction.EnsureAsync("IndexerFunction"), Environment(indexerRuntime, prefix, "indexer"));
        await using var controlPlane = FunctionProcess.Start(await PublishedFunction.EnsureAsync("ControlPlaneLogsFunction"), Environment(controlPlaneRuntime, prefix, "control-plane-logs"));

        var envelope = new JsonObject
        {
            ["schema"] = "eks-events/v1",
            ["clusterName"] = ShopScenario.Cluster,
            ["events"] = new JsonArray(ShopScenario.Events().Select(e => JsonNode.Parse(e)).ToArray()),
        }.ToJsonString();
        var sqs = JsonSerializer.SerializeToUtf8Bytes(new SQSEvent { Records = [new SQSEvent.SQSMessage { MessageId = "m-shop", Body = envelope, EventSource = "aws:sqs" }] });
        var indexed = await indexerRuntime.InvokeAsync(sqs).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.False(indexed.IsError, indexed.Text);
        Assert.Contains("\"batchItemFailures\":[]", indexed.Text, StringComparison.Ordinal);

        // The pod's three Warning events (reason Failed) reach CloudWatch once; a redelivery of the same
        // message (same resourceVersions) adds nothing.
        Assert.Equal(new Dictionary<string, double> { ["Failed"] = 3 }, await WarningEventsAsync(indexer, invocation: 1));
        var redelivered = await indexerRuntime.InvokeAsync(sqs).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.False(redelivered.IsError, redelivered.Text);
        Assert.Contains("\"batchItemFailures\":[]", redelivered.Text, StringComparison.Ordinal);
        Assert.Empty(await WarningEventsAsync(indexer, invocation: 2));

        var payload = SubscriptionEvents.Payload(
            "kube-apiserver-audit-4e9f9d6f9d15381d05d77c5df3f7d329",
            ShopScenario.AuditLines().Select((a, i) => ($"3759101234567890123456789012345678901234567890123456{i:D4}", a.Time.ToUnixTimeMilliseconds(), a.Line)),
            logGroup: $"/aws/eks/{ShopScenario.Cluster}/cluster");
        var logged = await controlPlaneRuntime.InvokeAsync(SubscriptionEvents.Event(payload)).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.False(logged.IsError, logged.Text);

        var events = domain.Documents("eks-kubernetes-events-*").Select(d => d.Source).ToList();
        var audits = domain.Documents("eks-control-plane-logs-*").Select(d => d.Source).ToList();
        Assert.Equal(ShopScenario.Events().Count, events.Count);
        Assert.Equal(ShopScenario.AuditLines().Count, audits.Count);
        Assert.All(events, e => Assert.Equal("event", e.GetProperty("origin").GetString()));
        Assert.All(audits, a => Assert.Equal("audit", a.GetProperty("origin").GetString()));

        foreach (var (name, uid, kind) in new[]
                 {
                     (ShopScenario.Deployment, ShopScenario.DeploymentUid, "Deployment"),
                     (ShopScenario.ReplicaSet, ShopScenario.ReplicaSetUid, "ReplicaSet"),
                     (ShopScenario.Pod, ShopScenario.PodUid, "Pod"),
                 })
        {
            var fromEvents = events.Where(d => NameOf(d) == name).Select(d => d.GetProperty("object")).ToList();
            var fromAudit = audits.Where(d => NameOf(d) == name).Select(d => d.GetProperty("object")).ToList();
            Assert.NotEmpty(fromEvents);
            Assert.NotEmpty(fromAudit);

            // Every document about the object, from either index, names it the same way.
            var identities = fromEvents.Concat(fromAudit).Select(o => string.Join("|", Identity.Select(m => o.TryGetProperty(m, out var v) ? v.GetString() : "<absent>"))).Distinct().ToList();
            Assert.Single(identities);
            Assert.StartsWith(kind + "|", identities[0], StringComparison.Ordinal);
            Assert.EndsWith($"|{ShopScenario.Namespace}|{name}", identities[0], StringComparison.Ordinal);
            Assert.All(fromEvents, o => Assert.Equal(uid, o.GetProperty("uid").GetString()));
            Assert.All(fromAudit.Where(o => o.TryGetProperty("uid", out _)), o => Assert.Equal(uid, o.GetProperty("uid").GetString()));
        }

        // The pod's audit create named it only in its response: name and uid come from there.
        Assert.Contains(audits, a => NameOf(a) == ShopScenario.Pod && a.GetProperty("verb").GetString() == "create"
            && !a.GetProperty("object").TryGetProperty("subresource", out _) && a.GetProperty("object").GetProperty("uid").GetString() == ShopScenario.PodUid);

        // The Object history view, as saved, for the pod: its events and the requests that changed it, not kubelet's read.
        var search = File.ReadLines(Path.Combine(RepositoryRoot.Path, "dashboards", "object-history.ndjson"))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Single(o => (string?)o["id"] == "eks-history-object-history-search");
        var query = KqlQuery.Parse($"({(string)JsonNode.Parse((string)search["attributes"]!["kibanaSavedObjectMeta"]!["searchSourceJSON"]!)!["query"]!["query"]!}) and object.name:{ShopScenario.Pod}");
        var shown = events.Concat(audits).Where(query.Matches).ToList();
        Assert.Equal(
            ["Scheduled", "Pulling", "Failed", "Failed", "BackOff", "Failed", "Killing"],
            shown.Where(d => d.GetProperty("origin").GetString() == "event").OrderBy(d => d.GetProperty("@timestamp").GetString(), StringComparer.Ordinal).ThenBy(d => d.GetProperty("metadata").GetProperty("name").GetString(), StringComparer.Ordinal).Select(d => d.GetProperty("reason").GetString()));
        Assert.Equal(["create", "create"], shown.Where(d => d.GetProperty("origin").GetString() == "audit").OrderBy(d => d.GetProperty("@timestamp").GetString(), StringComparer.Ordinal).Select(d => d.GetProperty("verb").GetString()));

        var deployment = KqlQuery.Parse($"({(string)JsonNode.Parse((string)search["attributes"]!["kibanaSavedObjectMeta"]!["searchSourceJSON"]!)!["query"]!["query"]!}) and object.kind:Deployment and object.name:{ShopScenario.Deployment}");
        var changes = audits.Where(deployment.Matches).OrderBy(d => d.GetProperty("@timestamp").GetString(), StringComparer.Ordinal).Select(d => (d.GetProperty("verb").GetString(), d.GetProperty("user").GetProperty("username").GetString())).ToList();
        Assert.Equal([("patch", ShopScenario.User), ("delete", ShopScenario.User)], changes);
    }

    /// <summary>
    /// WarningEvents by reason from the EMF lines the indexer wrote for its <paramref name="invocation"/>-th
    /// invocation (its stdout is read asynchronously: wait for that invocation's own record).
    /// </summary>
    private static async Task<Dictionary<string, double>> WarningEventsAsync(FunctionProcess indexer, int invocation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        List<JsonElement> records;
        while (true)
        {
            records = indexer.StandardOutput.Where(l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            if (records.Count(r => r.TryGetProperty("MessagesReceived", out _)) >= invocation || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        // Each invocation writes its per-reason records, then its own record (with MessagesReceived).
        var ends = records.Select((r, i) => (r, i)).Where(x => x.r.TryGetProperty("MessagesReceived", out _)).Select(x => x.i).ToList();
        Assert.True(ends.Count >= invocation, $"the indexer wrote {ends.Count} invocation records, expected {invocation}");
        var start = invocation == 1 ? 0 : ends[invocation - 2] + 1;
        var own = records[ends[invocation - 1]];
        var byReason = records.Skip(start).Take(ends[invocation - 1] - start)
            .Where(r => r.TryGetProperty("Reason", out _))
            .ToDictionary(r => r.GetProperty("Reason").GetString()!, r => r.GetProperty("WarningEvents").GetDouble());
        Assert.All(records.Skip(start).Take(ends[invocation - 1] - start), r => Assert.Equal(ShopScenario.Cluster, r.GetProperty("ClusterName").GetString()));
        Assert.Equal(byReason.Values.Sum(), own.GetProperty("WarningEvents").GetDouble());
        return byReason;
    }

    private static string? NameOf(JsonElement document) =>
        document.TryGetProperty("object", out var o) && o.TryGetProperty("name", out var name) ? name.GetString() : null;

    private Dictionary<string, string> Environment(RuntimeApiDouble runtime, string prefix, string name) => new(moto.Server.Environment)
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
        ["AWS_LAMBDA_FUNCTION_NAME"] = name,
        ["SSM_PARAMETER_PREFIX"] = prefix,
    };
}
