using System.Collections.Frozen;

namespace Shared.Contract;

/// <summary>
/// Kind ↔ resource for the built-in API groups of Kubernetes, the one table both indices name objects
/// by (docs/contract.md, "The object block"). Events name an object by its kind (<c>involvedObject.kind</c>,
/// <c>Deployment</c>), audit lines by its resource (<c>objectRef.resource</c>, <c>deployments</c>); this
/// table lets each carry both. Only stable built-in kinds are listed: a custom resource's plural cannot be
/// derived from its kind with certainty, so its documents keep only what they say themselves.
/// Depends on nothing but the base library, so it can move to the contract project as it is.
/// </summary>
public static class KubernetesResources
{
    /// <summary>Every (API group, kind, resource) in the table; the core group is <c>""</c>.</summary>
    public static IReadOnlyList<(string Group, string Kind, string Resource)> All { get; } =
    [
        ("", "Binding", "bindings"),
        ("", "ComponentStatus", "componentstatuses"),
        ("", "ConfigMap", "configmaps"),
        ("", "Endpoints", "endpoints"),
        ("", "Event", "events"),
        ("", "LimitRange", "limitranges"),
        ("", "Namespace", "namespaces"),
        ("", "Node", "nodes"),
        ("", "PersistentVolume", "persistentvolumes"),
        ("", "PersistentVolumeClaim", "persistentvolumeclaims"),
        ("", "Pod", "pods"),
        ("", "PodTemplate", "podtemplates"),
        ("", "ReplicationController", "replicationcontrollers"),
        ("", "ResourceQuota", "resourcequotas"),
        ("", "Secret", "secrets"),
        ("", "Service", "services"),
        ("", "ServiceAccount", "serviceaccounts"),
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "validatingadmissionpolicies"),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings"),
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations"),
        ("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions"),
        ("apiregistration.k8s.io", "APIService", "apiservices"),
        ("apps", "ControllerRevision", "controllerrevisions"),
        ("apps", "DaemonSet", "daemonsets"),
        ("apps", "Deployment", "deployments"),
        ("apps", "ReplicaSet", "replicasets"),
        ("apps", "StatefulSet", "statefulsets"),
        ("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews"),
        ("authentication.k8s.io", "TokenReview", "tokenreviews"),
        ("authorization.k8s.io", "LocalSubjectAccessReview", "localsubjectaccessreviews"),
        ("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews"),
        ("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews"),
        ("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews"),
        ("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers"),
        ("batch", "CronJob", "cronjobs"),
        ("batch", "Job", "jobs"),
        ("certificates.k8s.io", "CertificateSigningRequest", "certificatesigningrequests"),
        ("coordination.k8s.io", "Lease", "leases"),
        ("discovery.k8s.io", "EndpointSlice", "endpointslices"),
        ("events.k8s.io", "Event", "events"),
        ("flowcontrol.apiserver.k8s.io", "FlowSchema", "flowschemas"),
        ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "prioritylevelconfigurations"),
        ("networking.k8s.io", "IPAddress", "ipaddresses"),
        ("networking.k8s.io", "Ingress", "ingresses"),
        ("networking.k8s.io", "IngressClass", "ingressclasses"),
        ("networking.k8s.io", "NetworkPolicy", "networkpolicies"),
        ("networking.k8s.io", "ServiceCIDR", "servicecidrs"),
        ("node.k8s.io", "RuntimeClass", "runtimeclasses"),
        ("policy", "PodDisruptionBudget", "poddisruptionbudgets"),
        ("rbac.authorization.k8s.io", "ClusterRole", "clusterroles"),
        ("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings"),
        ("rbac.authorization.k8s.io", "Role", "roles"),
        ("rbac.authorization.k8s.io", "RoleBinding", "rolebindings"),
        ("resource.k8s.io", "DeviceClass", "deviceclasses"),
        ("resource.k8s.io", "ResourceClaim", "resourceclaims"),
        ("resource.k8s.io", "ResourceClaimTemplate", "resourceclaimtemplates"),
        ("resource.k8s.io", "ResourceSlice", "resourceslices"),
        ("scheduling.k8s.io", "PriorityClass", "priorityclasses"),
        ("storage.k8s.io", "CSIDriver", "csidrivers"),
        ("storage.k8s.io", "CSINode", "csinodes"),
        ("storage.k8s.io", "CSIStorageCapacity", "csistoragecapacities"),
        ("storage.k8s.io", "StorageClass", "storageclasses"),
        ("storage.k8s.io", "VolumeAttachment", "volumeattachments"),
        ("storage.k8s.io", "VolumeAttributesClass", "volumeattributesclasses"),
    ];

    // Group, then kind or resource: two small lookups that take spans, so a document builder finds an entry
    // without making a string of what it read.
    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> ResourceByKind = Index(e => e.Kind, e => e.Resource);
    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> KindByResource = Index(e => e.Resource, e => e.Kind);

    // A kind found in exactly one group; "Event" is in two (core and events.k8s.io) and is left out.
    private static readonly FrozenDictionary<string, string> GroupOfKind = All
        .GroupBy(e => e.Kind, StringComparer.Ordinal)
        .Where(g => g.Count() == 1)
        .ToFrozenDictionary(g => g.Key, g => g.Single().Group, StringComparer.Ordinal);

    /// <summary>The resource (plural, lower case) of a built-in kind, e.g. <c>apps</c>, <c>Deployment</c> → <c>deployments</c>.</summary>
    public static bool TryGetResource(ReadOnlySpan<char> group, ReadOnlySpan<char> kind, out string resource) =>
        TryGet(ResourceByKind, group, kind, out resource);

    /// <summary>The kind of a built-in resource, e.g. <c>""</c>, <c>pods</c> → <c>Pod</c>.</summary>
    public static bool TryGetKind(ReadOnlySpan<char> group, ReadOnlySpan<char> resource, out string kind) =>
        TryGet(KindByResource, group, resource, out kind);

    /// <summary>
    /// The group of a built-in kind named without its API version (some events' <c>involvedObject</c> omit
    /// it), when only one built-in group has that kind.
    /// </summary>
    public static bool TryGetGroup(ReadOnlySpan<char> kind, out string group) =>
        GroupOfKind.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(kind, out group!);

    private static bool TryGet(FrozenDictionary<string, FrozenDictionary<string, string>> index, ReadOnlySpan<char> group, ReadOnlySpan<char> key, out string value)
    {
        if (index.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(group, out var names)
            && names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out value!))
        {
            return true;
        }

        value = string.Empty;
        return false;
    }

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Index(
        Func<(string Group, string Kind, string Resource), string> key,
        Func<(string Group, string Kind, string Resource), string> value) =>
        All.GroupBy(e => e.Group, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToFrozenDictionary(key, value, StringComparer.Ordinal), StringComparer.Ordinal);
}
