using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Collector.Kubernetes.LeaderElection;

namespace Collector.Tests.Kubernetes;

public sealed class LeaseJsonTests
{
    /// <summary>A Lease as kube-controller-manager (client-go's LeaseLock) leaves it, as served by the API server.</summary>
    internal const string ClientGoLease = """
        {
          "apiVersion": "coordination.k8s.io/v1",
          "kind": "Lease",
          "metadata": {
            "creationTimestamp": "2026-11-20T08:14:02Z",
            "labels": { "app.kubernetes.io/part-of": "eks-history" },
            "managedFields": [
              {
                "apiVersion": "coordination.k8s.io/v1",
                "fieldsType": "FieldsV1",
                "fieldsV1": { "f:spec": { "f:acquireTime": {}, "f:holderIdentity": {}, "f:leaseDurationSeconds": {}, "f:leaseTransitions": {}, "f:renewTime": {} } },
                "manager": "kube-controller-manager",
                "operation": "Update",
                "time": "2026-11-22T10:05:30Z"
              }
            ],
            "name": "eks-history-collector",
            "namespace": "eks-history",
            "resourceVersion": "48213377",
            "uid": "8d0c4e0a-4f0b-4f7e-9a43-5b1f3f1f6a2e"
          },
          "spec": {
            "acquireTime": "2026-11-22T10:00:00.123456Z",
            "holderIdentity": "ip-192-168-1-10.ec2.internal_2f6d1c0e-6a55-4a1b-8a59-0f3c9b8d7e21",
            "leaseDurationSeconds": 15,
            "leaseTransitions": 3,
            "renewTime": "2026-11-22T10:05:30.654321Z"
          }
        }
        """;

    private static readonly DateTimeOffset Acquired = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_560);

    private static readonly DateTimeOffset Renewed = new DateTimeOffset(2026, 11, 22, 10, 5, 30, TimeSpan.Zero).AddTicks(6_543_210);

    [Fact]
    public void Parse_ClientGoLease_ReadsHolderTimesToTheMicrosecondAndResourceVersion()
    {
        var lease = LeaseJson.Parse(Encoding.UTF8.GetBytes(ClientGoLease));

        Assert.Equal("48213377", lease.ResourceVersion);
        Assert.Equal(new LeaseSpec("ip-192-168-1-10.ec2.internal_2f6d1c0e-6a55-4a1b-8a59-0f3c9b8d7e21", 15, Acquired, Renewed, 3), lease.Spec);
        Assert.True(lease.Spec.IsHeld);
    }

    [Theory]
    [InlineData("{\"metadata\":{\"name\":\"l\",\"resourceVersion\":\"7\"}}")]
    [InlineData("{\"metadata\":{\"name\":\"l\",\"resourceVersion\":\"7\"},\"spec\":{}}")]
    [InlineData("{\"metadata\":{\"name\":\"l\",\"resourceVersion\":\"7\"},\"spec\":{\"holderIdentity\":null,\"renewTime\":null,\"leaseTransitions\":null}}")]
    [InlineData("{\"metadata\":{\"name\":\"l\",\"resourceVersion\":\"7\"},\"spec\":{\"holderIdentity\":\"\",\"leaseDurationSeconds\":1,\"leaseTransitions\":2}}")]
    public void Parse_LeaseWithoutHolder_IsFree(string json)
    {
        var lease = LeaseJson.Parse(Encoding.UTF8.GetBytes(json));

        Assert.False(lease.Spec.IsHeld);
        Assert.Equal("7", lease.ResourceVersion);
    }

    [Theory]
    [InlineData("{\"spec\":{\"holderIdentity\":\"a\"}}")]
    [InlineData("{\"metadata\":{\"name\":\"l\",\"resourceVersion\":\"7\"},\"spec\":{\"renewTime\":\"yesterday\"}}")]
    [InlineData("{\"metadata\":{\"name\":\"l\",\"resourceVersion\":\"7\"},\"spec\":{\"leaseTransitions\":\"3\"}}")]
    public void Parse_NotALease_ThrowsJsonException(string json)
    {
        Assert.ThrowsAny<JsonException>(() => LeaseJson.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void FormatMicroTime_AnyTime_HasExactlySixFractionalDigitsInUtc()
    {
        var time = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        // Go's RFC3339Micro layout, which the API server parses MicroTime with, takes exactly six digits.
        Assert.Equal("2026-11-22T10:00:00.123456Z", LeaseJson.FormatMicroTime(time));
    }

    [Fact]
    public void WriteReplacement_ClientGoLease_SetsTheElectionFieldsAndKeepsEverythingElse()
    {
        var current = LeaseJson.Parse(Encoding.UTF8.GetBytes(ClientGoLease.Replace(
            "\"leaseTransitions\": 3,", "\"leaseTransitions\": 3, \"preferredHolder\": \"b\", \"strategy\": \"OldestEmulationVersion\",", StringComparison.Ordinal)));
        var now = new DateTimeOffset(2026, 11, 22, 10, 6, 0, TimeSpan.Zero).AddTicks(10);

        var body = JsonNode.Parse(LeaseJson.WriteReplacement(current, new LeaseSpec("collector-7f9c", 15, now, now, 4)))!;

        var spec = body["spec"]!;
        Assert.Equal("collector-7f9c", spec["holderIdentity"]!.GetValue<string>());
        Assert.Equal("2026-11-22T10:06:00.000001Z", spec["acquireTime"]!.GetValue<string>());
        Assert.Equal("2026-11-22T10:06:00.000001Z", spec["renewTime"]!.GetValue<string>());
        Assert.Equal(4, spec["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(15, spec["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Equal("b", spec["preferredHolder"]!.GetValue<string>());
        Assert.Equal("OldestEmulationVersion", spec["strategy"]!.GetValue<string>());

        // The precondition of the PUT, and what other clients put on the object, are sent back unchanged.
        var original = JsonNode.Parse(ClientGoLease)!;
        Assert.True(JsonNode.DeepEquals(original["metadata"], body["metadata"]));
        Assert.Equal("Lease", body["kind"]!.GetValue<string>());
    }

    [Fact]
    public void WriteNew_Released_WritesAnEmptyHolder()
    {
        var now = new DateTimeOffset(2026, 11, 22, 10, 6, 0, TimeSpan.Zero);

        var body = JsonNode.Parse(LeaseJson.WriteNew("eks-history", "eks-history-collector", new LeaseSpec("", 1, now, now, 2)))!;

        Assert.Equal("eks-history-collector", body["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("eks-history", body["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("", body["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(1, body["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
    }
}
