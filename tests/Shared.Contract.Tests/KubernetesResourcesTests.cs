namespace Shared.Contract.Tests;

public sealed class KubernetesResourcesTests
{
    /// <summary>The built-in API groups of current Kubernetes whose kinds are stable (GA).</summary>
    public static TheoryData<string> BuiltInGroups() =>
    [
        "", "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "apps", "authentication.k8s.io",
        "authorization.k8s.io", "autoscaling", "batch", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io",
        "events.k8s.io", "flowcontrol.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
        "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
    ];

    [Theory]
    [MemberData(nameof(BuiltInGroups))]
    public void All_EveryBuiltInGroup_HasItsKinds(string group)
    {
        Assert.Contains(KubernetesResources.All, e => e.Group == group);
    }

    [Fact]
    public void All_EveryEntry_ResolvesBothWays()
    {
        foreach (var (group, kind, resource) in KubernetesResources.All)
        {
            Assert.True(KubernetesResources.TryGetResource(group, kind, out var foundResource), $"{group}/{kind}");
            Assert.Equal(resource, foundResource);
            Assert.True(KubernetesResources.TryGetKind(group, resource, out var foundKind), $"{group}/{resource}");
            Assert.Equal(kind, foundKind);
        }
    }

    [Fact]
    public void All_EveryResource_IsTheApiServersPluralOfItsKind()
    {
        // The API server's rule for built-in types (apimachinery's UnsafeGuessKindToResource): lower case,
        // "s" → "ses", "y" → "ies", else "s". Endpoints is the one built-in kind that is already plural.
        static string Plural(string kind)
        {
            var lower = kind.ToLowerInvariant();
            return lower.EndsWith('s') ? lower + "es" : lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
        }

        foreach (var (group, kind, resource) in KubernetesResources.All.Where(e => e.Kind != "Endpoints"))
        {
            Assert.True(Plural(kind) == resource, $"{group}/{kind}: {resource}, expected {Plural(kind)}");
        }
    }

    [Fact]
    public void All_NoGroupNamesAKindOrAResourceTwice()
    {
        Assert.Equal(KubernetesResources.All.Count, KubernetesResources.All.Select(e => (e.Group, e.Kind)).Distinct().Count());
        Assert.Equal(KubernetesResources.All.Count, KubernetesResources.All.Select(e => (e.Group, e.Resource)).Distinct().Count());
    }

    [Theory]
    [InlineData("", "Pod", "pods")]
    [InlineData("", "Endpoints", "endpoints")]
    [InlineData("apps", "Deployment", "deployments")]
    [InlineData("networking.k8s.io", "Ingress", "ingresses")]
    [InlineData("networking.k8s.io", "NetworkPolicy", "networkpolicies")]
    [InlineData("storage.k8s.io", "CSIStorageCapacity", "csistoragecapacities")]
    [InlineData("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "prioritylevelconfigurations")]
    [InlineData("apiregistration.k8s.io", "APIService", "apiservices")]
    public void TryGetResourceAndKind_WellKnownObjects_AreEachOthers(string group, string kind, string resource)
    {
        Assert.True(KubernetesResources.TryGetResource(group, kind, out var foundResource));
        Assert.Equal(resource, foundResource);
        Assert.True(KubernetesResources.TryGetKind(group, resource, out var foundKind));
        Assert.Equal(kind, foundKind);
    }

    [Theory]
    [InlineData("apps", "Pod")] // a kind of another group
    [InlineData("", "Deployment")]
    [InlineData("karpenter.sh", "NodePool")] // a custom resource: its plural is not ours to guess
    [InlineData("", "pod")] // kinds are case-sensitive
    public void TryGetResource_NotABuiltInKindOfThatGroup_FindsNothing(string group, string kind)
    {
        Assert.False(KubernetesResources.TryGetResource(group, kind, out _));
    }

    [Theory]
    [InlineData("Deployment", "apps")]
    [InlineData("Pod", "")]
    [InlineData("Lease", "coordination.k8s.io")]
    public void TryGetGroup_KindOfOneGroup_IsThatGroup(string kind, string group)
    {
        Assert.True(KubernetesResources.TryGetGroup(kind, out var found));
        Assert.Equal(group, found);
    }

    [Theory]
    [InlineData("Event")] // core and events.k8s.io
    [InlineData("NodeClaim")]
    public void TryGetGroup_KindOfTwoGroupsOrNone_IsUnknown(string kind)
    {
        Assert.False(KubernetesResources.TryGetGroup(kind, out _));
    }
}
