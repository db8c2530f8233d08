using System.Buffers;
using System.Text;
using System.Text.Json;
using ControlPlaneLogsFunction.Parsing;
using Shared.Contract;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>
/// Gives a structured klog line that names a pod or a node (<c>pod="shop/web-7"</c>, <c>node="ip-..."</c>,
/// the form <c>klog.KObj</c> writes) the <c>object</c> block of event and audit documents, with
/// <c>origin: "log"</c>: the scheduler's "Unable to schedule pod" then sits in the pod's history.
/// The first such pair of the line names its object; a line naming none gets neither field.
/// </summary>
public static class KlogObjectBlock
{
    /// <summary>Writes the block for the first pod or node pair among the line's first <paramref name="maxPairs"/> pairs.</summary>
    public static void Write(Utf8JsonWriter writer, KeyValueScanner pairs, int maxPairs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        for (var i = 0; i < maxPairs && pairs.MoveNext(); i++)
        {
            var isPod = pairs.Key.SequenceEqual("pod");
            if ((isPod || pairs.Key.SequenceEqual("node")) && pairs.Value.Length > 0)
            {
                Write(writer, isPod ? "Pod"u8 : "Node"u8, pairs.Value);
                return;
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> kind, ReadOnlySpan<char> reference)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(reference.Length));
        try
        {
            var utf8 = rented.AsSpan(0, Encoding.UTF8.GetBytes(reference, rented));
            // "namespace/name" for a namespaced object, "name" for a cluster-scoped one.
            var slash = utf8.IndexOf((byte)'/');
            var ns = slash < 0 ? default : utf8[..slash];
            var name = slash < 0 ? utf8 : utf8[(slash + 1)..];
            ObjectBlock.Write(writer, ObjectReference.FromKind(kind, "v1"u8, ns, name, default), ObjectBlock.LogOrigin);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
