namespace ControlPlaneLogsFunction.Parsing;

/// <summary>The EKS control-plane log types, named after the stream prefixes CloudWatch Logs shows.</summary>
public enum LogType
{
    /// <summary>A stream none of the known prefixes matches.</summary>
    Unknown = 0,

    /// <summary><c>kube-apiserver-audit-*</c>: one audit.k8s.io/v1 Event JSON per line.</summary>
    KubeApiServerAudit,

    /// <summary><c>kube-apiserver-*</c>: klog.</summary>
    KubeApiServer,

    /// <summary><c>authenticator-*</c>: aws-iam-authenticator, logrus key=value.</summary>
    Authenticator,

    /// <summary><c>kube-controller-manager-*</c>: klog.</summary>
    KubeControllerManager,

    /// <summary><c>cloud-controller-manager-*</c>: klog.</summary>
    CloudControllerManager,

    /// <summary><c>kube-scheduler-*</c>: klog.</summary>
    KubeScheduler,
}
