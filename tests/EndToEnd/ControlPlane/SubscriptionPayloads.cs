using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using TestSupport.CloudWatchLogs;

namespace EndToEnd.Tests.ControlPlane;

/// <summary>
/// Generates CloudWatch Logs subscription deliveries the way CloudWatch Logs sends them for an EKS log
/// group (JSON, gzip, base64 in <c>awslogs.data</c>): one stream per delivery, mixed log types (audit
/// JSON, klog text and structured klog, authenticator logrus, a stream of an unknown type), one line in
/// twenty malformed, plus deliveries that cannot be decoded at all (bad base64, corrupt gzip).
/// </summary>
public sealed class SubscriptionPayloads
{
    /// <summary>The generated log group's cluster.</summary>
    public const string Cluster = "e2e-cluster";

    private static readonly string[] Streams =
    [
        "kube-apiserver-audit-4e9f9d6f9d15381d05d77c5df3f7d329",
        "kube-apiserver-934e06efeb2e9416b02fa19f9a2d1774",
        "authenticator-1111222272c52cc05e3177863bdcc12d",
        "kube-controller-manager-934e06efeb2e9416b02fa19f9a2d1774",
        "kube-scheduler-934e06efeb2e9416b02fa19f9a2d1774",
        "cloud-controller-manager-934e06efeb2e9416b02fa19f9a2d1774",
        "etcd-not-a-control-plane-type-0000",
    ];

    private readonly Random _random = new(11);
    private long _nextId = 37_000_000_000_000_000;

    /// <summary>A delivery: its <c>awslogs.data</c>, the ids of its lines (empty for undecodable ones), whether it can be decoded.</summary>
    public sealed record Delivery(int Number, string Data, IReadOnlyList<string> LineIds, bool Decodable, int MalformedLines)
    {
        /// <summary>The Lambda event.</summary>
        public byte[] Event => Encoding.UTF8.GetBytes(new JsonObject { ["awslogs"] = new JsonObject { ["data"] = Data } }.ToJsonString());
    }

    /// <summary>Makes delivery number <paramref name="number"/>: one in fifty cannot be decoded.</summary>
    public Delivery Next(int number)
    {
        if (number % 50 == 17)
        {
            var data = number % 100 == 17
                ? "this is not base64 ~~~" + number.ToString(CultureInfo.InvariantCulture)
                : Convert.ToBase64String([0x1f, 0x8b, 0x08, 0x00, .. Encoding.ASCII.GetBytes("corrupt gzip " + number.ToString(CultureInfo.InvariantCulture))]);
            return new Delivery(number, data, [], false, 0);
        }

        var stream = Streams[number % Streams.Length];
        var lines = _random.Next(20, 120);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = new List<string>();
        var events = new List<(string Id, long Timestamp, string Message)>();
        var malformed = 0;
        for (var i = 0; i < lines; i++)
        {
            var id = (_nextId++).ToString(CultureInfo.InvariantCulture) + "0000000000000000000000000000000000000";
            var bad = _random.Next(20) == 0;
            malformed += bad ? 1 : 0;
            ids.Add(id);
            events.Add((id, timestamp + i, bad ? Malformed(stream, i) : Line(stream, number, i)));
        }

        var payload = SubscriptionEvents.Payload(stream, events, logGroup: "/aws/eks/" + Cluster + "/cluster");
        return new Delivery(number, Convert.ToBase64String(SubscriptionEvents.Gzip(Encoding.UTF8.GetBytes(payload), CompressionLevel.Fastest)), ids, true, malformed);
    }

    private static string Line(string stream, int number, int i)
    {
        var n = number.ToString(CultureInfo.InvariantCulture) + "-" + i.ToString(CultureInfo.InvariantCulture);
        return stream switch
        {
            _ when stream.StartsWith("kube-apiserver-audit", StringComparison.Ordinal) =>
                "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + Guid.NewGuid() + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/team-" + n + "/pods\",\"verb\":\"list\",\"user\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\",\"groups\":[\"system:serviceaccounts\",\"system:authenticated\"]},\"sourceIPs\":[\"10.0.1.2\"],\"userAgent\":\"kube-controller-manager/v1.30.2\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"team-" + n + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\",\"stageTimestamp\":\"2026-11-22T10:00:00.004000Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC\"}}",
            _ when stream.StartsWith("authenticator", StringComparison.Ordinal) =>
                "time=\"2026-11-22T10:00:00Z\" level=info msg=\"access granted\" arn=\"arn:aws:iam::123456789012:role/node-" + n + "\" client=\"127.0.0.1:50000\" groups=\"[system:bootstrappers system:nodes]\" method=POST path=/authenticate uid=\"aws-iam-authenticator:123456789012:AROAEXAMPLE\" username=\"system:node:ip-10-0-1-2\"",
            _ when stream.StartsWith("kube-scheduler", StringComparison.Ordinal) =>
                "I1122 10:00:00.000741      11 schedule_one.go:286] \"Successfully bound pod to node\" pod=\"team/app-" + n + "\" node=\"ip-192-168-12-34.ec2.internal\" evaluatedNodes=3 feasibleNodes=2",
            _ when stream.StartsWith("kube-controller-manager", StringComparison.Ordinal) =>
                "E1122 10:00:00.999999      12 garbagecollector.go:360] \"Error syncing item\" err=\"unable to get \\\"apps/v1\\\" resource\" item=\"rs-" + n + "\" logger=\"garbage-collector-controller\"",
            _ => "W1122 10:00:00.123456       1 node_controller.go:231] Failed to get instance metadata for node ip-10-0-1-2 (" + n + "): throttled",
        };
    }

    private static string Malformed(string stream, int i) => (i % 3) switch
    {
        0 => stream.StartsWith("kube-apiserver-audit", StringComparison.Ordinal) ? "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":" : "this line is in no known format",
        1 => "I9999 99:99:99.999999 x bad.go:x] header that does not parse",
        _ => "\u0001\u0002 control characters and \uFFFD replacement characters",
    };
}
