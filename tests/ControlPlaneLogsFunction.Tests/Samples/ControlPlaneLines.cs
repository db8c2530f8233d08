namespace ControlPlaneLogsFunction.Tests.Samples;

/// <summary>
/// Realistic control-plane lines written for these tests in the formats EKS emits (klog text and
/// structured klog, aws-iam-authenticator logrus, audit.k8s.io/v1 JSON), plus stream names.
/// </summary>
public static class ControlPlaneLines
{
    /// <summary>Stream names in the EKS format (prefix and a 32-hex suffix).</summary>
    public const string AuditStream = "kube-apiserver-audit-4e9f9d6f9d15381d05d77c5df3f7d329";

    /// <summary>API server stream.</summary>
    public const string ApiServerStream = "kube-apiserver-934e06efeb2e9416b02fa19f9a2d1774";

    /// <summary>Authenticator stream.</summary>
    public const string AuthenticatorStream = "authenticator-1111222272c52cc05e3177863bdcc12d";

    /// <summary>Controller manager stream.</summary>
    public const string ControllerManagerStream = "kube-controller-manager-934e06efeb2e9416b02fa19f9a2d1774";

    /// <summary>Cloud controller manager stream.</summary>
    public const string CloudControllerManagerStream = "cloud-controller-manager-934e06efeb2e9416b02fa19f9a2d1774";

    /// <summary>Scheduler stream.</summary>
    public const string SchedulerStream = "kube-scheduler-934e06efeb2e9416b02fa19f9a2d1774";

    /// <summary>Structured klog from the scheduler.</summary>
    public const string SchedulerStructured =
        "I0717 06:58:59.000741      11 schedule_one.go:286] \"Successfully bound pod to node\" pod=\"default/nginx-7c5ddbdf54-x2x9k\" node=\"ip-192-168-12-34.eu-west-1.compute.internal\" evaluatedNodes=3 feasibleNodes=2";

    /// <summary>Structured klog with an escaped quote, a multi-line value and a JSON value.</summary>
    public const string ControllerManagerStructured =
        "E1231 23:59:59.999999      12 garbagecollector.go:360] \"Error syncing item\" err=\"unable to get \\\"apps/v1\\\" resource\" item=<\n\tline one\n\tline two\n > owner={\"kind\":\"ReplicaSet\",\"name\":\"web\"} logger=\"garbage-collector-controller\"";

    /// <summary>A warning with free text (not structured).</summary>
    public const string CloudControllerWarning =
        "W0102 03:04:05.123456       1 node_controller.go:231] Failed to get instance metadata for node ip-10-0-1-2: throttled";

    /// <summary>A multi-line trace from the API server.</summary>
    public const string ApiServerTrace =
        "I0705 16:59:29.403648      10 trace.go:205] Trace[900000000]: \"Create\" url:/api/v1/namespaces/api/pods,user-agent:kube-controller-manager/v1.23.17 (linux/amd64) kubernetes/d5ce2ce/system:serviceaccount:kube-system:replicaset-controller,audit-id:eea6c20d-3830-4b2b-8f89-57718879f60c,client:172.11.4.9,accept:application/vnd.kubernetes.protobuf, */*,protocol:HTTP/2.0 (05-Jul-2023 16:59:28.771) (total time: 631ms):\nTrace[900000000]: ---\"Write to database call finished\" len:1234,err:<nil> 630ms (16:59:29.403)\nTrace[900000000]: [631.906037ms] [631.906037ms] END";

    /// <summary>An audit event as kube-apiserver writes it, with request and response objects.</summary>
    public const string AuditCreatePod =
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\"6b6a9f1e-2f5c-4d6b-9a61-0c3b1c0e4f11\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/apis/apps/v1/namespaces/default/deployments\",\"verb\":\"create\",\"user\":{\"username\":\"arn:aws:sts::123456789012:assumed-role/admin/alice\",\"uid\":\"aws-iam-authenticator:123456789012:AROAEXAMPLE\",\"groups\":[\"system:masters\",\"system:authenticated\"],\"extra\":{\"accessKeyId\":[\"ASIAEXAMPLE\"],\"arn\":[\"arn:aws:sts::123456789012:assumed-role/admin/alice\"],\"canonicalArn\":[\"arn:aws:iam::123456789012:role/admin\"],\"sessionName\":[\"alice\"]}},\"sourceIPs\":[\"203.0.113.10\"],\"userAgent\":\"kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9\",\"objectRef\":{\"resource\":\"deployments\",\"namespace\":\"default\",\"name\":\"web\",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":201},\"requestObject\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\",\"labels\":{\"app.kubernetes.io/name\":\"web\"}},\"spec\":{\"replicas\":2}},\"responseObject\":{\"kind\":\"Deployment\",\"apiVersion\":\"apps/v1\",\"metadata\":{\"name\":\"web\",\"uid\":\"0b6f7c3e-1111-2222-3333-444455556666\"}},\"requestReceivedTimestamp\":\"2024-03-01T10:15:30.123456Z\",\"stageTimestamp\":\"2024-03-01T10:15:30.140211Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\",\"apiserver.latency.k8s.io/total\":\"16.755ms\",\"pod-security.kubernetes.io/enforce-policy\":\"privileged:latest\"}}";

    /// <summary>A service-account audit event whose user.extra keys hold dots and slashes.</summary>
    public const string AuditServiceAccountGet =
        "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"0e3b0b6a-8e57-4f2b-9d0a-3f1b2c4d5e6f\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/kube-system/configmaps/coredns\",\"verb\":\"get\",\"user\":{\"username\":\"system:serviceaccount:kube-system:coredns\",\"uid\":\"1d2e3f40-aaaa-bbbb-cccc-1234567890ab\",\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\",\"system:authenticated\"],\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"coredns-5d78c9869d-7xk2p\"],\"authentication.kubernetes.io/pod-uid\":[\"9a8b7c6d-1234-5678-9abc-def012345678\"]}},\"sourceIPs\":[\"192.168.45.12\"],\"userAgent\":\"coredns/v1.11.1\",\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"kube-system\",\"name\":\"coredns\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},\"requestReceivedTimestamp\":\"2024-03-01T10:15:31.000100Z\",\"stageTimestamp\":\"2024-03-01T10:15:31.002900Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding \\\"system:coredns\\\" of ClusterRole \\\"system:coredns\\\" to ServiceAccount \\\"coredns/kube-system\\\"\"}}";

    /// <summary>aws-iam-authenticator (logrus key=value) granting a node's role.</summary>
    public const string AuthenticatorNodeGranted =
        "time=\"2024-03-01T10:15:29Z\" level=info msg=\"access granted\" arn=\"arn:aws:iam::123456789012:role/eks-history-node-role\" client=\"127.0.0.1:48212\" groups=\"[system:bootstrappers system:nodes]\" method=POST path=/authenticate stsendpoint=sts.eu-west-1.amazonaws.com uid=\"aws-iam-authenticator:123456789012:AROAEXAMPLENODEROLE01\" username=\"system:node:ip-192-168-12-34.eu-west-1.compute.internal\"";

    /// <summary>The STS answer the authenticator logs before granting: other keys, no username.</summary>
    public const string AuthenticatorStsResponse =
        "time=\"2024-03-01T10:15:29Z\" level=info msg=\"STS response\" accesskeyid=ASIAEXAMPLEKEY000001 accountid=123456789012 arn=\"arn:aws:sts::123456789012:assumed-role/eks-history-node-role/i-0a1b2c3d4e5f67890\" client=\"127.0.0.1:48212\" method=POST path=/authenticate session=i-0a1b2c3d4e5f67890 stsendpoint=sts.eu-west-1.amazonaws.com userid=AROAEXAMPLENODEROLE01";

    /// <summary>A user mapped to system:masters, its username unquoted as logrus writes a plain word.</summary>
    public const string AuthenticatorUserGranted =
        "time=\"2024-03-01T10:16:02Z\" level=info msg=\"access granted\" arn=\"arn:aws:iam::123456789012:user/alice\" client=\"127.0.0.1:51734\" groups=\"[system:masters]\" method=POST path=/authenticate uid=\"aws-iam-authenticator:123456789012:AIDAEXAMPLEALICE0001\" username=alice";

    /// <summary>The authenticator lines above, in the order a stream would hold them.</summary>
    public static IReadOnlyList<string> AuthenticatorLines { get; } = [AuthenticatorNodeGranted, AuthenticatorStsResponse, AuthenticatorUserGranted];
}
