using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Parsing;
using ControlPlaneLogsFunction.Tests.Samples;
using TestSupport.CloudWatchLogs;

namespace ControlPlaneLogsFunction.Tests.Documents;

public class ControlPlaneDocumentBuilderTests
{
    private const string Id = "37591012345678901234567890123456789012345678901234567890";

    private static string Common(string stream, string logType, string message, string timestamp = "2024-03-01T10:15:30.140Z") =>
        $$"""
        "@id": "{{Id}}", "@timestamp": "{{timestamp}}", "@message": {{JsonValue.Create(message).ToJsonString()}},
        "@owner": "123456789012", "@log_group": "/aws/eks/history-test/cluster", "@log_stream": "{{stream}}",
        "clusterName": "history-test", "log_type": "{{logType}}"
        """;

    [Fact]
    public void Build_StructuredSchedulerLine_GoldenDocument()
    {
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.SchedulerStream, ControlPlaneLines.SchedulerStructured, SubscriptionEvents.Millis(2024, 7, 17, 6, 59, 0));

        DocumentAssert.Equal(
            "{" + Common(ControlPlaneLines.SchedulerStream, "kube-scheduler", ControlPlaneLines.SchedulerStructured, "2024-07-17T06:59:00.000Z") + """
            , "severity": "info", "time": "2024-07-17T06:58:59.000741Z", "thread_id": 11, "source": "schedule_one.go:286",
            "msg": "Successfully bound pod to node",
            "kv": ["pod=default/nginx-7c5ddbdf54-x2x9k", "node=ip-192-168-12-34.eu-west-1.compute.internal", "evaluatedNodes=3", "feasibleNodes=2"],
            "klog": {"pod": "default/nginx-7c5ddbdf54-x2x9k", "node": "ip-192-168-12-34.eu-west-1.compute.internal", "evaluatedNodes": "3", "feasibleNodes": "2"},
            "object": {"kind": "Pod", "resource": "pods", "apiGroup": "", "namespace": "default", "name": "nginx-7c5ddbdf54-x2x9k"}, "origin": "log"
            }
            """,
            json);
        Assert.Equal("eks-control-plane-logs-2024.07.17", built.Item.Index);
        Assert.Equal(Id, built.Item.Id);
        Assert.False(built.ParseError);
    }

    [Fact]
    public void Build_ControllerManagerLineAtNewYear_KeepsTheOldYearAndUnescapesValues()
    {
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.ControllerManagerStream, ControlPlaneLines.ControllerManagerStructured, SubscriptionEvents.Millis(2025, 1, 1, 0, 0, 1));

        Assert.Equal("error", (string?)json["severity"]);
        Assert.Equal("2024-12-31T23:59:59.999999Z", (string?)json["time"]);
        Assert.Equal("eks-control-plane-logs-2025.01.01", built.Item.Index); // the index follows the event timestamp
        Assert.Equal("Error syncing item", (string?)json["msg"]);
        DocumentAssert.Equal(
            """
            {"err": "unable to get \"apps/v1\" resource", "item": "line one\nline two",
             "owner": "{\"kind\":\"ReplicaSet\",\"name\":\"web\"}", "logger": "garbage-collector-controller"}
            """,
            json["klog"]!);
        Assert.Contains("err=unable to get \"apps/v1\" resource", json["kv"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void Build_FreeTextWarning_KeepsTheWholeMessage()
    {
        var (_, json) = DocumentAssert.Build(ControlPlaneLines.CloudControllerManagerStream, ControlPlaneLines.CloudControllerWarning, SubscriptionEvents.Millis(2024, 1, 2, 3, 4, 6));

        Assert.Equal("cloud-controller-manager", (string?)json["log_type"]);
        Assert.Equal("warning", (string?)json["severity"]);
        Assert.Equal("node_controller.go:231", (string?)json["source"]);
        Assert.Equal("Failed to get instance metadata for node ip-10-0-1-2: throttled", (string?)json["msg"]);
        Assert.Null(json["kv"]);
        Assert.Null(json["klog"]);
    }

    [Fact]
    public void Build_MultiLineApiServerTrace_StaysOneDocumentWithEveryLine()
    {
        var (_, json) = DocumentAssert.Build(ControlPlaneLines.ApiServerStream, ControlPlaneLines.ApiServerTrace, SubscriptionEvents.Millis(2023, 7, 5, 16, 59, 30));

        Assert.Equal("kube-apiserver", (string?)json["log_type"]);
        Assert.Equal(ControlPlaneLines.ApiServerTrace, (string?)json["@message"]);
        Assert.Equal(ControlPlaneLines.ApiServerTrace[(ControlPlaneLines.ApiServerTrace.IndexOf("] ", StringComparison.Ordinal) + 2)..], (string?)json["msg"]);
        Assert.Equal(10, (long?)json["thread_id"]);
    }

    [Fact]
    public void Build_AuditEvent_GoldenDocument()
    {
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod);

        var expected = JsonNode.Parse("{" + Common(ControlPlaneLines.AuditStream, "kube-apiserver-audit", ControlPlaneLines.AuditCreatePod) + "}")!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(ControlPlaneLines.AuditCreatePod)!.AsObject())
        {
            expected[name] = value?.DeepClone();
        }

        // Then the object block both indices share.
        expected["object"] = JsonNode.Parse("""{"kind":"Deployment","resource":"deployments","apiGroup":"apps","namespace":"default","name":"web","uid":"0b6f7c3e-1111-2222-3333-444455556666"}""");
        expected["origin"] = "audit";
        DocumentAssert.Equal(expected.ToJsonString(), json);
        Assert.Equal("allow", (string?)json["annotations"]!["authorization.k8s.io/decision"]);
        Assert.Equal("eks-control-plane-logs-2024.03.01", built.Item.Index);
    }

    [Fact]
    public void Build_AuditKeysThatCannotBePaths_AreDeDotted()
    {
        var line = """{"kind":"Event","verb":"get","annotations":{"a..b":"1",".lead":"2","trail.":"3","ok.k8s.io/x":"4"},"user":{"username":"u","extra":{"..":["5"]}}}""";

        var (_, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, line);

        DocumentAssert.Equal("""{"a__b":"1","_lead":"2","trail_":"3","ok.k8s.io/x":"4"}""", json["annotations"]!);
        DocumentAssert.Equal("""{"__":["5"]}""", json["user"]!["extra"]!);
    }

    [Fact]
    public void Build_AuditEventWithOurFieldNames_PrefixesThem()
    {
        var line = """{"kind":"Event","verb":"get","@timestamp":"x","log_type":"y","time":"z"}""";

        var (_, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, line);

        Assert.Equal("kube-apiserver-audit", (string?)json["log_type"]);
        Assert.True(json["audit_log_type"] is not null, json.ToJsonString());
        Assert.Equal("y", (string?)json["audit_log_type"]);
        Assert.Equal("x", (string?)json["audit_@timestamp"]);
        Assert.Equal("z", (string?)json["audit_time"]);
    }

    [Fact]
    public void Build_AuditAnnotationsPastTheBound_KeepsTheFirst64()
    {
        var annotations = new JsonObject();
        for (var i = 0; i < 100; i++)
        {
            annotations[$"mutation.webhook.admission.k8s.io/round_0_index_{i}"] = "{}";
        }

        var line = new JsonObject { ["kind"] = "Event", ["annotations"] = annotations }.ToJsonString();
        var (_, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, line);

        Assert.Equal(64, json["annotations"]!.AsObject().Count);
        Assert.Equal(line, (string?)json["@message"]); // everything is still in the raw line
    }

    [Fact]
    public void Build_AuthenticatorLines_OneFieldPerPair()
    {
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuthenticatorStream, ControlPlaneLines.AuthenticatorNodeGranted);

        Assert.False(built.ParseError);
        DocumentAssert.Equal(
            "{" + Common(ControlPlaneLines.AuthenticatorStream, "authenticator", ControlPlaneLines.AuthenticatorNodeGranted) + """
            , "time": "2024-03-01T10:15:29Z", "level": "info", "msg": "access granted",
            "arn": "arn:aws:iam::123456789012:role/eks-history-node-role",
            "client": "127.0.0.1:48212", "groups": "[system:bootstrappers system:nodes]", "method": "POST", "path": "/authenticate",
            "stsendpoint": "sts.eu-west-1.amazonaws.com", "uid": "aws-iam-authenticator:123456789012:AROAEXAMPLENODEROLE01",
            "username": "system:node:ip-192-168-12-34.eu-west-1.compute.internal"
            }
            """,
            json);
        foreach (var line in ControlPlaneLines.AuthenticatorLines.Skip(1))
        {
            var (other, otherJson) = DocumentAssert.Build(ControlPlaneLines.AuthenticatorStream, line);
            Assert.False(other.ParseError, line);
            Assert.NotNull(otherJson["arn"]);
        }
    }

    [Fact]
    public void Build_AuthenticatorKeyNamedLikeOurs_IsPrefixed()
    {
        var (_, json) = DocumentAssert.Build(ControlPlaneLines.AuthenticatorStream, "level=info user=alice log_type=x a.b=1");

        Assert.Equal("alice", (string?)json["authenticator_user"]);
        Assert.Equal("x", (string?)json["authenticator_log_type"]);
        Assert.Equal("authenticator", (string?)json["log_type"]);
        Assert.Equal("1", (string?)json["a_b"]);
    }

    [Theory]
    [InlineData("kube-apiserver-audit-0123", "{\"kind\":\"Event\",", "not a JSON audit event")]
    [InlineData("kube-apiserver-audit-0123", "[1,2]", "not a JSON audit event")]
    [InlineData("kube-apiserver-audit-0123", "{\"a\":1} {\"b\":2}", "not a JSON audit event")]
    [InlineData("authenticator-0123", "panic: runtime error: index out of range", "not an authenticator key=value line")]
    [InlineData("kube-scheduler-0123", "Flag --port has been deprecated", "not a klog line")]
    [InlineData("some-other-stream", "hello", "unknown log stream")]
    public void Build_LineThatDoesNotParse_IsThePlainFormWithParseError(string stream, string message, string reason)
    {
        var (built, json) = DocumentAssert.Build(stream, message);

        Assert.True(built.ParseError);
        Assert.StartsWith(reason, (string?)json["parse_error"], StringComparison.Ordinal);
        Assert.Equal(message, (string?)json["@message"]);
        Assert.Equal(
            ["@id", "@timestamp", "@message", "@owner", "@log_group", "@log_stream", "clusterName", "log_type", "parse_error"],
            json.Select(p => p.Key));
    }

    [Fact]
    public void Build_UnknownStreamWithKlogLine_IsParsedAsKlog()
    {
        var (built, json) = DocumentAssert.Build("kube-proxy-1", ControlPlaneLines.CloudControllerWarning);

        Assert.False(built.ParseError);
        Assert.Equal("unknown", (string?)json["log_type"]);
        Assert.Equal("warning", (string?)json["severity"]);
    }

    [Fact]
    public void Build_LogGroupOutsideEks_TakesTheConfiguredClusterName()
    {
        var builder = DocumentAssert.Builder();
        var source = builder.SourceOf(new Functions.Runtime.Events.CloudWatchLogs.CloudWatchLogsPayload { LogGroup = "/custom/group", LogStream = "kube-scheduler-1" });

        Assert.Equal("fallback-cluster", source.ClusterName);
        Assert.Equal(LogType.KubeScheduler, source.Type);
    }

    [Fact]
    public void Build_OneMebibyteLine_IsOneDocumentHoldingTheWholeLine()
    {
        var message = "I0102 03:04:05.123456       1 big.go:1] " + new string('x', 1024 * 1024);

        var (built, json) = DocumentAssert.Build(ControlPlaneLines.SchedulerStream, message, SubscriptionEvents.Millis(2024, 1, 2, 3, 4, 6));

        Assert.False(built.ParseError);
        Assert.Equal(message, (string?)json["@message"]);
    }

    [Fact]
    public void BuildPlain_RefusedDocument_HasTheRawLineAndTheReason()
    {
        var builder = DocumentAssert.Builder();
        var (built, _) = DocumentAssert.Build(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod);

        var plain = DocumentAssert.Parse(builder.BuildPlain(built.Source, built.Event, "HTTP 400 mapper_parsing_exception: failed to parse field [annotations.x]").Source);

        Assert.Equal(ControlPlaneLines.AuditCreatePod, (string?)plain["@message"]);
        Assert.Equal("HTTP 400 mapper_parsing_exception: failed to parse field [annotations.x]", (string?)plain["index_error"]);
        Assert.Equal(9, plain.Count);
    }
}
