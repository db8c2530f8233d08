using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Tests.Samples;

namespace ControlPlaneLogsFunction.Tests.Documents;

/// <summary>The <c>object</c> block and <c>origin</c> of audit documents, built through the document builder.</summary>
public sealed class AuditObjectBlockTests
{
    private static JsonObject Audit(string line) => DocumentAssert.Build(ControlPlaneLines.AuditStream, line).Json;

    private static string Line(string verb, string uri, string user, string objectRef, int code, string level = "Metadata", string extra = "") =>
        $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"{{{level}}}","auditID":"{{{Guid.NewGuid()}}}","stage":"ResponseComplete","requestURI":"{{{uri}}}","verb":"{{{verb}}}","user":{"username":"{{{user}}}","groups":["system:authenticated"]},"sourceIPs":["10.0.1.15"],"userAgent":"kube-scheduler/v1.31.4 (linux/amd64) kubernetes/d9c5a1b/scheduler"{{{(objectRef.Length > 0 ? ",\"objectRef\":" + objectRef : "")}}},"responseStatus":{"metadata":{},"code":{{{code}}}}{{{extra}}},"requestReceivedTimestamp":"2026-03-14T03:10:11.101112Z","stageTimestamp":"2026-03-14T03:10:11.109876Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}""";

    private static void Equal(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString() ?? "null");

    [Fact]
    public void Build_SchedulerBindingAPod_IsAboutThePodWithTheSubresourceKept()
    {
        var doc = Audit(Line("create", "/api/v1/namespaces/shop/pods/web-7d9f8c6b5-x2x9k/binding", "system:kube-scheduler",
            """{"resource":"pods","namespace":"shop","name":"web-7d9f8c6b5-x2x9k","apiVersion":"v1","subresource":"binding"}""", 201));

        Equal("""{"kind":"Pod","resource":"pods","apiGroup":"","subresource":"binding","namespace":"shop","name":"web-7d9f8c6b5-x2x9k"}""", doc["object"]);
        Assert.Equal("audit", (string?)doc["origin"]);
        Assert.Equal("pods", (string?)doc["objectRef"]!["resource"]); // the audit's own fields stay as they are
    }

    [Fact]
    public void Build_KubectlScale_IsAboutTheDeployment()
    {
        var doc = Audit(Line("patch", "/apis/apps/v1/namespaces/shop/deployments/web/scale", "arn:aws:sts::123456789012:assumed-role/ops/alice",
            """{"resource":"deployments","namespace":"shop","name":"web","apiGroup":"apps","apiVersion":"v1","subresource":"scale"}""", 200));

        Equal("""{"kind":"Deployment","resource":"deployments","apiGroup":"apps","subresource":"scale","namespace":"shop","name":"web"}""", doc["object"]);
    }

    [Fact]
    public void Build_UpdateCarryingTheObjectsUid_KeepsTheUid()
    {
        var doc = Audit(Line("update", "/apis/apps/v1/namespaces/shop/replicasets/web-7d9f8c6b5/status", "system:serviceaccount:kube-system:replicaset-controller",
            """{"resource":"replicasets","namespace":"shop","name":"web-7d9f8c6b5","uid":"3c2b1a09-8f7e-4d6c-b5a4-392817161514","apiGroup":"apps","apiVersion":"v1","resourceVersion":"884195","subresource":"status"}""", 200));

        Equal("""{"kind":"ReplicaSet","resource":"replicasets","apiGroup":"apps","subresource":"status","namespace":"shop","name":"web-7d9f8c6b5","uid":"3c2b1a09-8f7e-4d6c-b5a4-392817161514"}""", doc["object"]);
    }

    [Fact]
    public void Build_CreateOfAGeneratedNameAtRequestResponse_TakesNameAndUidFromTheResponse()
    {
        // The ReplicaSet controller creates pods with generateName: objectRef has no name, the response has both.
        var doc = Audit(Line("create", "/api/v1/namespaces/shop/pods", "system:serviceaccount:kube-system:replicaset-controller",
            """{"resource":"pods","namespace":"shop","apiVersion":"v1"}""", 201, "RequestResponse",
            ""","requestObject":{"kind":"Pod","apiVersion":"v1","metadata":{"generateName":"web-7d9f8c6b5-","namespace":"shop"}},"responseObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-7d9f8c6b5-x2x9k","generateName":"web-7d9f8c6b5-","namespace":"shop","uid":"5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11","labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"registry.example.com/shop/web:2.4.1"}]}}"""));

        Equal("""{"kind":"Pod","resource":"pods","apiGroup":"","namespace":"shop","name":"web-7d9f8c6b5-x2x9k","uid":"5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11"}""", doc["object"]);
    }

    [Theory]
    [InlineData("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Forbidden","code":403}""")]
    [InlineData("""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"884300"},"items":[{"metadata":{"name":"other","uid":"not-this-one"}}]}""")]
    public void Build_ResponseThatIsNotTheObject_NamesNothingFromIt(string response)
    {
        var doc = Audit(Line("create", "/api/v1/namespaces/shop/pods", "system:serviceaccount:shop:deployer",
            """{"resource":"pods","namespace":"shop","apiVersion":"v1"}""", 403, "RequestResponse", ",\"responseObject\":" + response));

        Equal("""{"kind":"Pod","resource":"pods","apiGroup":"","namespace":"shop"}""", doc["object"]);
    }

    [Fact]
    public void Build_CoreGetWithoutApiGroup_IsInTheCoreGroup()
    {
        var doc = Audit(ControlPlaneLines.AuditServiceAccountGet);

        Equal("""{"kind":"ConfigMap","resource":"configmaps","apiGroup":"","namespace":"kube-system","name":"coredns"}""", doc["object"]);
    }

    [Fact]
    public void Build_WorkshopCreateOfADeployment_TakesTheUidFromTheResponse()
    {
        var doc = Audit(ControlPlaneLines.AuditCreatePod);

        Equal("""{"kind":"Deployment","resource":"deployments","apiGroup":"apps","namespace":"default","name":"web","uid":"0b6f7c3e-1111-2222-3333-444455556666"}""", doc["object"]);
    }

    [Fact]
    public void Build_CustomResource_KeepsResourceAndGroupWithoutAKind()
    {
        var doc = Audit(Line("delete", "/apis/karpenter.sh/v1/nodeclaims/default-7x2kq", "system:serviceaccount:kube-system:karpenter",
            """{"resource":"nodeclaims","name":"default-7x2kq","apiGroup":"karpenter.sh","apiVersion":"v1"}""", 200));

        Equal("""{"resource":"nodeclaims","apiGroup":"karpenter.sh","name":"default-7x2kq"}""", doc["object"]);
    }

    [Fact]
    public void Build_NonResourceRequest_HasOnlyTheOrigin()
    {
        var doc = Audit(Line("get", "/readyz", "system:anonymous", "", 200));

        Assert.False(doc.ContainsKey("object"));
        Assert.Equal("audit", (string?)doc["origin"]);
    }

    [Fact]
    public void Build_AuditLineWithFieldsNamedObjectAndOrigin_KeepsThemPrefixedBesideOurs()
    {
        var line = JsonNode.Parse(ControlPlaneLines.AuditServiceAccountGet)!.AsObject();
        line["object"] = "theirs";
        line["origin"] = "theirs";

        var doc = Audit(line.ToJsonString());

        Assert.Equal("ConfigMap", (string?)doc["object"]!["kind"]);
        Assert.Equal("audit", (string?)doc["origin"]);
        Assert.Equal("theirs", (string?)doc["audit_object"]);
        Assert.Equal("theirs", (string?)doc["audit_origin"]);
    }
}
