namespace Infra.Settings;

/// <summary>How the collector's pod gets the role that may send to the queue.</summary>
public enum CollectorIdentity
{
    /// <summary>EKS Pod Identity: a pod identity association for the collector's service account (the default).</summary>
    PodIdentity,

    /// <summary>IAM roles for service accounts: the role trusts the cluster's OIDC provider and the service account carries the role ARN.</summary>
    Irsa,
}
