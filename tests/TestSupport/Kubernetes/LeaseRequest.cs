namespace TestSupport.Kubernetes;

/// <summary>A lease request as <see cref="KubernetesApiDouble.LeaseFault"/> sees it; <paramref name="HolderIdentity"/> is the written spec's (null for GET).</summary>
public sealed record LeaseRequest(string Method, string Namespace, string Name, string? HolderIdentity);
