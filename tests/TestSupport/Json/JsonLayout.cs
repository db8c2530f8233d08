namespace TestSupport.Json;

/// <summary>How <see cref="JsonGenerator"/> lays a value out.</summary>
public enum JsonLayout
{
    /// <summary>No whitespace at all.</summary>
    Compact,

    /// <summary>Pretty-printed, LF and two spaces.</summary>
    PrettyLf,

    /// <summary>Pretty-printed, CRLF and tabs.</summary>
    PrettyCrLfTabs,

    /// <summary>Zero to two of space, tab, LF, CR around every token.</summary>
    RandomWhitespace,
}
