using System.Globalization;

namespace TestSupport.Kubernetes;

/// <summary>
/// The double's one global resourceVersion, like etcd's revision: every write to an event or a lease
/// draws the next number, so versions increase across kinds and a client can compare any two.
/// </summary>
internal sealed class ResourceVersionCounter
{
    // The real server's versions are opaque strings; starting above zero keeps "0" (meaning "any") and
    // "" (meaning "most recent") distinct from every version the double hands out.
    private long _current = 1000;

    /// <summary>The latest version handed out.</summary>
    public long Current => Interlocked.Read(ref _current);

    /// <summary>Hands out the next version.</summary>
    public long Next() => Interlocked.Increment(ref _current);

    /// <summary>A version as the API server writes it: a decimal string.</summary>
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);
}
