using System.Globalization;
using System.Text;

namespace TestSupport.Kubernetes;

/// <summary>
/// The <c>continue</c> token of a paged list: the list's version and the offset of the next page. Opaque
/// to clients (base64), as the real server's is; a token whose version was compacted away answers 410.
/// </summary>
internal static class ListContinueToken
{
    /// <summary>The token for the page at <paramref name="offset"/> of the list at <paramref name="version"/>.</summary>
    public static string Encode(long version, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(ResourceVersionCounter.Format(version) + ":" + offset.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads a token; false for one this double did not write (not base64, not version:offset).</summary>
    public static bool TryDecode(string token, out long version, out int offset)
    {
        version = 0;
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out version)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
