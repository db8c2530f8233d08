using System.Text.Encodings.Web;
using System.Text.Json;

namespace Shared.Contract;

/// <summary>
/// The <c>object</c> block and the <c>origin</c> field that event and control-plane documents share
/// (docs/contract.md, "The object block"), so that one index pattern over both indices finds everything
/// about one object: <c>object.kind</c>, <c>object.resource</c>, <c>object.apiGroup</c> (empty for the
/// core group), <c>object.subresource</c>, <c>object.namespace</c>, <c>object.name</c>, <c>object.uid</c>.
/// Kind and resource complete each other through <see cref="KubernetesResources"/>; a member the input
/// does not say and the table cannot tell is left out rather than guessed.
/// </summary>
public static class ObjectBlock
{
    /// <summary><c>origin</c> of an event document.</summary>
    public static readonly JsonEncodedText EventOrigin = JsonEncodedText.Encode("event");

    /// <summary><c>origin</c> of an audit document.</summary>
    public static readonly JsonEncodedText AuditOrigin = JsonEncodedText.Encode("audit");

    /// <summary><c>origin</c> of a control-plane log line (klog) that names an object.</summary>
    public static readonly JsonEncodedText LogOrigin = JsonEncodedText.Encode("log");

    /// <summary>The block's field.</summary>
    public static readonly JsonEncodedText ObjectProperty = JsonEncodedText.Encode("object");

    /// <summary>The top-level field saying where a document comes from. Not <c>source</c>: events use that for their reporting component.</summary>
    public static readonly JsonEncodedText OriginProperty = JsonEncodedText.Encode("origin");

    // The longest kind, resource or group the table holds is far shorter; longer input is not in it.
    private const int MaxLookupChars = 128;

    private static readonly JsonEncodedText KindProperty = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText ResourceProperty = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText SubresourceProperty = JsonEncodedText.Encode("subresource");
    private static readonly JsonEncodedText ApiGroupProperty = JsonEncodedText.Encode("apiGroup");
    private static readonly JsonEncodedText NamespaceProperty = JsonEncodedText.Encode("namespace");
    private static readonly JsonEncodedText NameProperty = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText UidProperty = JsonEncodedText.Encode("uid");

    /// <summary>Writes <c>"origin":...</c> alone, for a document about no particular object.</summary>
    public static void WriteOrigin(Utf8JsonWriter writer, JsonEncodedText origin)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(OriginProperty, origin);
    }

    /// <summary>Writes <c>"object":{...}</c> and <c>"origin":...</c> into the open document object.</summary>
    public static void Write(Utf8JsonWriter writer, scoped in ObjectReference reference, JsonEncodedText origin)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var identity = Identity.Of(reference);
        writer.WriteStartObject(ObjectProperty);
        WriteMember(writer, KindProperty, reference.Kind, identity.TableKind);
        WriteMember(writer, ResourceProperty, reference.Resource, identity.TableResource);
        if (identity.GroupKnown)
        {
            if (identity.TableGroup is { } tableGroup)
            {
                writer.WriteString(ApiGroupProperty, tableGroup);
            }
            else
            {
                writer.WriteString(ApiGroupProperty, reference.Group);
            }
        }

        WriteMember(writer, SubresourceProperty, reference.Subresource, null);
        WriteMember(writer, NamespaceProperty, reference.Namespace, null);
        WriteMember(writer, NameProperty, reference.Name, null);
        WriteMember(writer, UidProperty, reference.Uid, null);
        writer.WriteEndObject();
        writer.WriteString(OriginProperty, origin);
    }

    private static void WriteMember(Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<byte> said, JsonEncodedText? fromTable)
    {
        if (!said.IsEmpty)
        {
            writer.WriteString(name, said);
        }
        else if (fromTable is { } table)
        {
            writer.WriteString(name, table);
        }
    }

    /// <summary>
    /// The text as chars for a table lookup; empty when it cannot be in the table (not ASCII, too long).
    /// Names in the table are ASCII, so widening each byte is the whole conversion.
    /// </summary>
    private static ReadOnlySpan<char> Ascii(ReadOnlySpan<byte> utf8, Span<char> chars)
    {
        if (utf8.Length > chars.Length || !System.Text.Ascii.IsValid(utf8))
        {
            return default;
        }

        System.Text.Ascii.ToUtf16(utf8, chars, out var written);
        return chars[..written];
    }

    /// <summary>
    /// What the table completes for one kind, resource and group (the object's namespace, name and uid aside).
    /// The last few are kept per thread: the objects of one delivery are mostly of a few kinds, so most blocks
    /// are written without a lookup.
    /// </summary>
    private sealed class Identity
    {
        private const int Kept = 8;

        [ThreadStatic]
        private static Identity?[]? t_kept;

        [ThreadStatic]
        private static int t_next;

        private byte[] _kind = [];
        private byte[] _resource = [];
        private byte[] _group = [];
        private bool _saidGroupKnown;

        /// <summary>Whether the block has an <c>apiGroup</c> (said, or found for the kind).</summary>
        public bool GroupKnown { get; private init; }

        public JsonEncodedText? TableKind { get; private init; }

        public JsonEncodedText? TableResource { get; private init; }

        public JsonEncodedText? TableGroup { get; private init; }

        public static Identity Of(scoped in ObjectReference reference)
        {
            var kept = t_kept ??= new Identity?[Kept];
            foreach (var identity in kept)
            {
                if (identity is not null && identity._saidGroupKnown == reference.GroupKnown && identity._kind.AsSpan().SequenceEqual(reference.Kind)
                    && identity._resource.AsSpan().SequenceEqual(reference.Resource) && identity._group.AsSpan().SequenceEqual(reference.Group))
                {
                    return identity;
                }
            }

            var found = Look(reference);
            kept[t_next] = found;
            t_next = (t_next + 1) % Kept;
            return found;
        }

        private static Identity Look(scoped in ObjectReference reference)
        {
            Span<char> kindChars = stackalloc char[MaxLookupChars];
            Span<char> resourceChars = stackalloc char[MaxLookupChars];
            Span<char> groupChars = stackalloc char[MaxLookupChars];
            var kind = Ascii(reference.Kind, kindChars);
            var resource = Ascii(reference.Resource, resourceChars);
            var group = Ascii(reference.Group, groupChars);

            // A kind named without an apiVersion: its group, if only one built-in group has that kind.
            string? tableGroup = null;
            var groupKnown = reference.GroupKnown;
            if (!groupKnown && !kind.IsEmpty && KubernetesResources.TryGetGroup(kind, out var found))
            {
                tableGroup = found;
                group = found;
                groupKnown = true;
            }

            // A group the table cannot hold (not ASCII, too long) must not be looked up as the core group.
            var lookUp = groupKnown && (tableGroup is not null || reference.Group.IsEmpty || !group.IsEmpty);
            string? tableKind = null, tableResource = null;
            if (lookUp && reference.Kind.IsEmpty && !resource.IsEmpty && KubernetesResources.TryGetKind(group, resource, out var k))
            {
                tableKind = k;
            }
            else if (lookUp && reference.Resource.IsEmpty && !kind.IsEmpty && KubernetesResources.TryGetResource(group, kind, out var r))
            {
                tableResource = r;
            }

            return new Identity
            {
                _kind = reference.Kind.ToArray(),
                _resource = reference.Resource.ToArray(),
                _group = reference.Group.ToArray(),
                _saidGroupKnown = reference.GroupKnown,
                GroupKnown = groupKnown,
                TableKind = Encode(tableKind),
                TableResource = Encode(tableResource),
                TableGroup = Encode(tableGroup),
            };
        }

        private static JsonEncodedText? Encode(string? text) => text is null ? null : JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    }
}
