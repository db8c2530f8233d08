using System.Globalization;
using System.Text;
using TestSupport.CloudWatchLogs;

namespace Benchmarks.ControlPlane;

/// <summary>
/// A mixed delivery as an EKS cluster produces it: one CloudWatch Logs event per stream (audit, API server
/// klog, scheduler structured klog, authenticator), each with many distinct lines.
/// </summary>
public static class MixedPayloads
{
    /// <summary>The four streams of a cluster's control-plane log group, each with its kind of line.</summary>
    public static readonly IReadOnlyList<(string Stream, Func<int, string> Line)> Streams =
    [
        ("kube-apiserver-audit-4e9f9d6f9d15381d05d77c5df3f7d329", Audit),
        ("kube-apiserver-934e06efeb2e9416b02fa19f9a2d1774", ApiServer),
        ("kube-scheduler-934e06efeb2e9416b02fa19f9a2d1774", Scheduler),
        ("authenticator-1111222272c52cc05e3177863bdcc12d", Authenticator),
    ];

    /// <summary>The Lambda events and the number of lines they hold.</summary>
    public static (List<byte[]> Events, int Lines, long InflatedBytes) Build(int linesPerStream)
    {
        var events = new List<byte[]>();
        long inflated = 0;
        for (var s = 0; s < Streams.Count; s++)
        {
            var (lambdaEvent, payloadBytes) = Delivery(s, linesPerStream, firstLine: 0);
            inflated += payloadBytes;
            events.Add(lambdaEvent);
        }

        return (events, linesPerStream * Streams.Count, inflated);
    }

    /// <summary>
    /// One delivery as CloudWatch Logs sends it: <paramref name="lines"/> lines of one stream
    /// (<see cref="Streams"/>[<paramref name="stream"/>]), numbered from <paramref name="firstLine"/>.
    /// </summary>
    /// <returns>The Lambda event and the size of its inflated payload.</returns>
    public static (byte[] Event, long InflatedBytes) Delivery(int stream, int lines, int firstLine)
    {
        var start = new DateTimeOffset(2024, 3, 1, 10, 15, 30, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var (name, line) = Streams[stream];
        var logEvents = Enumerable.Range(firstLine, lines)
            .Select(i => ("375910123456789012345678" + (10_000_000 + i).ToString(CultureInfo.InvariantCulture) + name[..4], start + i, line(i)))
            .ToList();
        var payload = Encoding.UTF8.GetBytes(SubscriptionEvents.Payload(name, logEvents, logGroup: "/aws/eks/bench/cluster"));
        return (SubscriptionEvents.Event(SubscriptionEvents.Gzip(payload)), payload.Length);
    }

    private static string Audit(int i) =>
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + Guid.NewGuid() + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/team-" + (i % 17) + "/pods/web-" + i + "\",\"verb\":\"" + (i % 3 == 0 ? "get" : "patch") + "\",\"user\":{\"username\":\"system:serviceaccount:kube-system:replicaset-controller\",\"uid\":\"1d2e3f40-aaaa-bbbb-cccc-1234567890ab\",\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\",\"system:authenticated\"],\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"kube-controller-manager-ip-10-0-1-" + (i % 250) + "\"]}},\"sourceIPs\":[\"10.0.1." + (i % 250) + "\"],\"userAgent\":\"kube-controller-manager/v1.29.1 (linux/amd64) kubernetes/bc401b9/system:serviceaccount:kube-system:replicaset-controller\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"team-" + (i % 17) + "\",\"name\":\"web-" + i + "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},\"requestReceivedTimestamp\":\"2024-03-01T10:15:30.123456Z\",\"stageTimestamp\":\"2024-03-01T10:15:30.140211Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding \\\"system:controller:replicaset-controller\\\" of ClusterRole \\\"system:controller:replicaset-controller\\\" to ServiceAccount \\\"replicaset-controller/kube-system\\\"\"}}";

    private static string ApiServer(int i) =>
        "I0301 10:15:30." + (100000 + i).ToString(CultureInfo.InvariantCulture) + "      10 httplog.go:132] \"HTTP\" verb=\"GET\" URI=\"/api/v1/namespaces/team-" + (i % 17) + "/pods?limit=500\" latency=\"" + (i % 90) + ".123ms\" userAgent=\"kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9\" audit-ID=\"" + Guid.NewGuid() + "\" srcIP=\"203.0.113." + (i % 250) + ":51234\" resp=200";

    private static string Scheduler(int i) =>
        "I0301 10:15:30." + (200000 + i).ToString(CultureInfo.InvariantCulture) + "      11 schedule_one.go:286] \"Successfully bound pod to node\" pod=\"team-" + (i % 17) + "/web-" + i + "\" node=\"ip-192-168-12-" + (i % 250) + ".eu-west-1.compute.internal\" evaluatedNodes=6 feasibleNodes=" + (1 + (i % 6));

    private static string Authenticator(int i) =>
        "time=\"2024-03-01T10:15:30Z\" level=info msg=\"access granted\" arn=\"arn:aws:iam::123456789012:role/node-role-" + (i % 5) + "\" client=\"127.0.0.1:" + (30000 + i) + "\" groups=\"[system:bootstrappers system:nodes]\" method=POST path=/authenticate uid=\"aws-iam-authenticator:123456789012:AROAEXAMPLE" + i + "\" username=\"system:node:ip-192-168-12-" + (i % 250) + ".eu-west-1.compute.internal\"";
}
