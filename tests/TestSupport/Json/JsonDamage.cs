namespace TestSupport.Json;

/// <summary>How <see cref="JsonGenerator"/> breaks a rendered value on purpose.</summary>
public enum JsonDamage
{
    /// <summary>Left as it is: one valid JSON object.</summary>
    None,

    /// <summary>Cut short at a random byte.</summary>
    Truncated,

    /// <summary>An invalid UTF-8 sequence inserted.</summary>
    InvalidUtf8,

    /// <summary>A raw LF, tab, CR or U+0001 inside a string.</summary>
    RawControlInString,

    /// <summary>A second value after the object.</summary>
    TrailingValue,

    /// <summary>Wrapped in an array: valid JSON, not an object.</summary>
    NotAnObject,
}
