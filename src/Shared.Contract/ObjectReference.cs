namespace Shared.Contract;

/// <summary>
/// What a document says about the Kubernetes object it is about, as UTF-8 text read from the input (no
/// JSON escapes): an event's <c>involvedObject</c> names a kind, an audit line's <c>objectRef</c> a resource.
/// <see cref="ObjectBlock"/> completes the other from <see cref="KubernetesResources"/>. An empty span
/// means "not said".
/// </summary>
public readonly ref struct ObjectReference
{
    /// <summary>The kind, e.g. <c>Pod</c>.</summary>
    public ReadOnlySpan<byte> Kind { get; init; }

    /// <summary>The resource, e.g. <c>pods</c>.</summary>
    public ReadOnlySpan<byte> Resource { get; init; }

    /// <summary>The subresource of a request on one (<c>status</c>, <c>scale</c>, <c>binding</c>).</summary>
    public ReadOnlySpan<byte> Subresource { get; init; }

    /// <summary>The API group; empty for the core group when <see cref="GroupKnown"/>.</summary>
    public ReadOnlySpan<byte> Group { get; init; }

    /// <summary>Whether <see cref="Group"/> was said (an empty one is then the core group).</summary>
    public bool GroupKnown { get; init; }

    /// <summary>The namespace; empty for a cluster-scoped object.</summary>
    public ReadOnlySpan<byte> Namespace { get; init; }

    /// <summary>The object's <c>metadata.name</c>, e.g. <c>web-7d4b9c-x2x8q</c>; unique within its namespace and kind.</summary>
    public ReadOnlySpan<byte> Name { get; init; }

    /// <summary>The uid, when the input carries it.</summary>
    public ReadOnlySpan<byte> Uid { get; init; }

    /// <summary>
    /// An event's <c>involvedObject</c>: kind and <c>apiVersion</c> (<c>apps/v1</c>, or <c>v1</c> for the
    /// core group; some events leave it out, and then the group is unknown).
    /// </summary>
    public static ObjectReference FromKind(ReadOnlySpan<byte> kind, ReadOnlySpan<byte> apiVersion, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> name, ReadOnlySpan<byte> uid)
    {
        var slash = apiVersion.LastIndexOf((byte)'/');
        return new ObjectReference
        {
            Kind = kind,
            Group = slash < 0 ? default : apiVersion[..slash],
            GroupKnown = !apiVersion.IsEmpty,
            Namespace = @namespace,
            Name = name,
            Uid = uid,
        };
    }

    /// <summary>
    /// An audit line's <c>objectRef</c>: resource, subresource and <c>apiGroup</c>, which the API server
    /// leaves out for the core group.
    /// </summary>
    public static ObjectReference FromResource(ReadOnlySpan<byte> resource, ReadOnlySpan<byte> subresource, ReadOnlySpan<byte> apiGroup, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> name, ReadOnlySpan<byte> uid) => new()
    {
        Resource = resource,
        Subresource = subresource,
        Group = apiGroup,
        GroupKnown = true,
        Namespace = @namespace,
        Name = name,
        Uid = uid,
    };
}
