using System.Text.Json.Nodes;

namespace EndToEnd.Tests.History;

/// <summary>
/// One object history as a cluster writes it, in both of its forms: a user scales Deployment <c>web</c> in
/// <c>shop</c>, its ReplicaSet creates a pod, the scheduler binds it, kubelet cannot pull its image, then the
/// user deletes the Deployment. <see cref="Events"/> are the core/v1 Events the collector would send,
/// <see cref="AuditLines"/> the audit.k8s.io/v1 lines kube-apiserver writes to CloudWatch Logs (with the
/// reads that are noise in such a history: kubelet's get, a controller's watch).
/// </summary>
public static class ShopScenario
{
    public const string Cluster = "shop-prod";
    public const string Namespace = "shop";
    public const string Deployment = "web";
    public const string ReplicaSet = "web-7d9f8c6b5";
    public const string Pod = "web-7d9f8c6b5-x2x9k";
    public const string DeploymentUid = "8e0b6b8c-3f2d-4f6a-9a0e-6c1d2b3a4f51";
    public const string ReplicaSetUid = "3c2b1a09-8f7e-4d6c-b5a4-392817161514";
    public const string PodUid = "5f0c1a52-7b1e-4a47-9d3c-2b8e9f1a0c11";
    public const string User = "arn:aws:sts::123456789012:assumed-role/ops/alice";
    private const string Node = "ip-192-168-12-34.eu-west-1.compute.internal";

    private static int _version = 884200;

    /// <summary>The events, in the order they happened.</summary>
    public static IReadOnlyList<string> Events() =>
    [
        Event("web.17c2b3a4d5e60001", "Deployment", "apps/v1", Deployment, DeploymentUid, "Normal", "ScalingReplicaSet", $"Scaled up replica set {ReplicaSet} to 3 from 2", "deployment-controller", "03:09:58"),
        Event("web-7d9f8c6b5.17c2b3a4d5e60002", "ReplicaSet", "apps/v1", ReplicaSet, ReplicaSetUid, "Normal", "SuccessfulCreate", $"Created pod: {Pod}", "replicaset-controller", "03:09:58"),
        SchedulerEvent(),
        Event($"{Pod}.17c2b3a4d5e60004", "Pod", "v1", Pod, PodUid, "Normal", "Pulling", "Pulling image \"registry.example.com/shop/web:2.4.1\"", "kubelet", "03:10:00", fieldPath: "spec.containers{web}"),
        Event($"{Pod}.17c2b3a4d5e60005", "Pod", "v1", Pod, PodUid, "Warning", "Failed", "Failed to pull image \"registry.example.com/shop/web:2.4.1\": rpc error: code = NotFound desc = failed to pull and unpack image: not found", "kubelet", "03:10:01", fieldPath: "spec.containers{web}"),
        Event($"{Pod}.17c2b3a4d5e60006", "Pod", "v1", Pod, PodUid, "Warning", "Failed", "Error: ErrImagePull", "kubelet", "03:10:01", fieldPath: "spec.containers{web}"),
        Event($"{Pod}.17c2b3a4d5e60007", "Pod", "v1", Pod, PodUid, "Normal", "BackOff", "Back-off pulling image \"registry.example.com/shop/web:2.4.1\"", "kubelet", "03:10:10", fieldPath: "spec.containers{web}", count: 4),
        Event($"{Pod}.17c2b3a4d5e60008", "Pod", "v1", Pod, PodUid, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet", "03:10:10", fieldPath: "spec.containers{web}", count: 4),
        Event($"{Pod}.17c2b3a4d5e60009", "Pod", "v1", Pod, PodUid, "Normal", "Killing", "Stopping container web", "kubelet", "03:12:30", fieldPath: "spec.containers{web}"),
    ];

    /// <summary>The audit lines, in the order they happened, with the CloudWatch Logs time of each.</summary>
    public static IReadOnlyList<(string Line, DateTimeOffset Time)> AuditLines() =>
    [
        Audit("patch", $"/apis/apps/v1/namespaces/{Namespace}/deployments/{Deployment}/scale", User, "kubectl/v1.31.4 (darwin/arm64) kubernetes/a78aa47",
            $$"""{"resource":"deployments","namespace":"{{Namespace}}","name":"{{Deployment}}","apiGroup":"apps","apiVersion":"v1","subresource":"scale"}""", 200, "03:09:57"),
        Audit("update", $"/apis/apps/v1/namespaces/{Namespace}/replicasets/{ReplicaSet}", "system:serviceaccount:kube-system:deployment-controller", "kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/system:serviceaccount:kube-system:deployment-controller",
            $$"""{"resource":"replicasets","namespace":"{{Namespace}}","name":"{{ReplicaSet}}","uid":"{{ReplicaSetUid}}","apiGroup":"apps","apiVersion":"v1","resourceVersion":"884190"}""", 200, "03:09:58"),
        Audit("create", $"/api/v1/namespaces/{Namespace}/pods", "system:serviceaccount:kube-system:replicaset-controller", "kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/system:serviceaccount:kube-system:replicaset-controller",
            $$"""{"resource":"pods","namespace":"{{Namespace}}","apiVersion":"v1"}""", 201, "03:09:58", "RequestResponse",
            $$$""","requestObject":{"kind":"Pod","apiVersion":"v1","metadata":{"generateName":"{{{ReplicaSet}}}-","namespace":"{{{Namespace}}}"}},"responseObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"{{{Pod}}}","generateName":"{{{ReplicaSet}}}-","namespace":"{{{Namespace}}}","uid":"{{{PodUid}}}","resourceVersion":"884201"}}"""),
        Audit("create", $"/api/v1/namespaces/{Namespace}/pods/{Pod}/binding", "system:kube-scheduler", "kube-scheduler/v1.31.4 (linux/amd64) kubernetes/a78aa47/scheduler",
            $$"""{"resource":"pods","namespace":"{{Namespace}}","name":"{{Pod}}","apiVersion":"v1","subresource":"binding"}""", 201, "03:09:59"),
        Audit("get", $"/api/v1/namespaces/{Namespace}/pods/{Pod}", $"system:node:{Node}", "kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47",
            $$"""{"resource":"pods","namespace":"{{Namespace}}","name":"{{Pod}}","apiVersion":"v1"}""", 200, "03:10:00"),
        Audit("watch", $"/api/v1/namespaces/{Namespace}/pods?allowWatchBookmarks=true&watch=true", "system:serviceaccount:kube-system:replicaset-controller", "kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/shared-informers",
            $$"""{"resource":"pods","namespace":"{{Namespace}}","apiVersion":"v1"}""", 200, "03:10:05", stage: "ResponseStarted"),
        Audit("delete", $"/apis/apps/v1/namespaces/{Namespace}/deployments/{Deployment}", User, "kubectl/v1.31.4 (darwin/arm64) kubernetes/a78aa47",
            $$"""{"resource":"deployments","namespace":"{{Namespace}}","name":"{{Deployment}}","apiGroup":"apps","apiVersion":"v1"}""", 200, "03:12:29"),
    ];

    private static string Stamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset At(string time) => DateTimeOffset.Parse($"2026-03-14T{time}Z", System.Globalization.CultureInfo.InvariantCulture);

    private static string Event(string name, string kind, string apiVersion, string objectName, string objectUid, string type, string reason, string message, string component, string time, string? fieldPath = null, int count = 1)
    {
        var involved = new JsonObject { ["kind"] = kind, ["namespace"] = Namespace, ["name"] = objectName, ["uid"] = objectUid, ["apiVersion"] = apiVersion, ["resourceVersion"] = "884190" };
        if (fieldPath is not null)
        {
            involved["fieldPath"] = fieldPath;
        }

        var stamp = $"2026-03-14T{time}Z";
        return new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["uid"] = Guid.NewGuid().ToString(), ["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture), ["creationTimestamp"] = stamp },
            ["involvedObject"] = involved,
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = component == "kubelet" ? new JsonObject { ["component"] = component, ["host"] = Node } : new JsonObject { ["component"] = component },
            ["firstTimestamp"] = stamp,
            ["lastTimestamp"] = stamp,
            ["count"] = count,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = component,
            ["reportingInstance"] = component == "kubelet" ? Node : "",
        }.ToJsonString();
    }

    private static string SchedulerEvent() => new JsonObject
    {
        // The scheduler writes events.k8s.io-style: eventTime, no first/last timestamps, no count.
        ["kind"] = "Event",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject { ["name"] = $"{Pod}.17c2b3a4d5e60003", ["namespace"] = Namespace, ["uid"] = Guid.NewGuid().ToString(), ["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture), ["creationTimestamp"] = "2026-03-14T03:09:59Z" },
        ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = Namespace, ["name"] = Pod, ["uid"] = PodUid, ["apiVersion"] = "v1", ["resourceVersion"] = "884201" },
        ["reason"] = "Scheduled",
        ["message"] = $"Successfully assigned {Namespace}/{Pod} to {Node}",
        ["source"] = new JsonObject(),
        ["firstTimestamp"] = null,
        ["lastTimestamp"] = null,
        ["type"] = "Normal",
        ["eventTime"] = "2026-03-14T03:09:59.123456Z",
        ["action"] = "Binding",
        ["reportingComponent"] = "default-scheduler",
        ["reportingInstance"] = "default-scheduler-ip-10-0-1-15",
    }.ToJsonString();

    private static (string, DateTimeOffset) Audit(string verb, string uri, string user, string userAgent, string objectRef, int code, string time, string level = "Metadata", string extra = "", string stage = "ResponseComplete")
    {
        var at = At(time);
        var line = $$$"""{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"{{{level}}}","auditID":"{{{Guid.NewGuid()}}}","stage":"{{{stage}}}","requestURI":"{{{uri}}}","verb":"{{{verb}}}","user":{"username":"{{{user}}}","groups":["system:authenticated"]},"sourceIPs":["10.0.1.15"],"userAgent":"{{{userAgent}}}","objectRef":{{{objectRef}}},"responseStatus":{"metadata":{},"code":{{{code}}}}{{{extra}}},"requestReceivedTimestamp":"{{{Stamp(at.AddMilliseconds(-8))}}}","stageTimestamp":"{{{Stamp(at)}}}","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}""";
        return (line, at);
    }
}
