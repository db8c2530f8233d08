using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Unicode;

namespace IndexerFunction.Documents;

/// <summary>
/// Validating steps over JSON as the Collector writes it, for the message reader's fast path: each takes the
/// position where a token starts and returns the position just after what it read, or -1 to give up. It gives up
/// on anything not JSON and on JSON it leaves to <see cref="Utf8JsonReader"/> (a <c>\u</c> escape of a surrogate,
/// text that is not valid UTF-8, nesting deeper than <see cref="MaxDepth"/>); the caller then reads the input with the reader,
/// whose answer counts. So what these steps accept is a subset of what the reader accepts, never more: that is
/// the whole of their contract, and what the differential tests check.
/// </summary>
internal static class FastJson
{
    /// <summary>Half the reader's limit (<see cref="EventDocumentBuilder.ReaderOptions"/>): deeper input is left to the reader.</summary>
    public const int MaxDepth = 64;

    /// <summary>The first position at or after <paramref name="at"/> that is not JSON white space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WhiteSpace(ReadOnlySpan<byte> json, int at) =>
        (uint)at < (uint)json.Length && json[at] > (byte)' ' ? at : WhiteSpaceFrom(json, at); // compact JSON has none

    /// <summary>Whether <paramref name="json"/> has <paramref name="b"/> at <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is(ReadOnlySpan<byte> json, int at, byte b) => (uint)at < (uint)json.Length && json[at] == b;

    /// <summary>
    /// A string token starting at its opening quote; <paramref name="escaped"/> when it holds an escape
    /// (<c>\"</c>, <c>\n</c>, <c>\u003c</c>, …). Sixteen bytes are looked at together for a quote, a backslash, a control byte
    /// or, until one is met, a byte that is not ASCII (then the string's UTF-8 is checked once at its end).
    /// </summary>
    public static int String(ReadOnlySpan<byte> json, int at, out bool escaped)
    {
        // Most strings are ASCII without escapes and end in their first or second block: that path has no
        // state to keep (the constants are built in registers, not read from static fields), and anything
        // else continues in StringFrom from the special byte found.
        escaped = false;
        var position = at + 1;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var first = ref MemoryMarshal.GetReference(json);
            while (position <= json.Length - Vector128<byte>.Count)
            {
                var block = Vector128.LoadUnsafe(ref first, (nuint)position);
                var special = Vector128.Equals(block, Vector128.Create((byte)'"')) | Vector128.Equals(block, Vector128.Create((byte)'\\'))
                    | Vector128.LessThan(block.AsSByte(), Vector128.Create((sbyte)' ')).AsByte(); // signed: a control byte or not ASCII
                var mask = special.ExtractMostSignificantBits();
                if (mask != 0)
                {
                    position += BitOperations.TrailingZeroCount(mask);
                    return Unsafe.Add(ref first, position) == '"' ? position + 1 : StringFrom(json, at, position, out escaped);
                }

                position += Vector128<byte>.Count;
            }
        }

        return StringFrom(json, at, position, out escaped);
    }

    /// <summary>
    /// <see cref="String"/> from <paramref name="position"/> on, where an escape, a byte that is not ASCII or a
    /// control byte may stand, or the input's last bytes begin.
    /// </summary>
    private static int StringFrom(ReadOnlySpan<byte> json, int at, int position, out bool escaped)
    {
        escaped = false;
        ref var first = ref MemoryMarshal.GetReference(json);
        var ascii = true;
        while (true)
        {
            if (Vector128.IsHardwareAccelerated && position + Vector128<byte>.Count <= json.Length)
            {
                var block = Vector128.LoadUnsafe(ref first, (nuint)position);
                var special = Vector128.Equals(block, Vector128.Create((byte)'"')) | Vector128.Equals(block, Vector128.Create((byte)'\\'))
                    | (ascii ? Vector128.LessThan(block.AsSByte(), Vector128.Create((sbyte)' ')).AsByte() : Vector128.LessThan(block, Vector128.Create((byte)' ')));
                var mask = special.ExtractMostSignificantBits();
                if (mask == 0)
                {
                    position += Vector128<byte>.Count;
                    continue;
                }

                position += BitOperations.TrailingZeroCount(mask);
            }
            else
            {
                while ((uint)position < (uint)json.Length && json[position] is not ((byte)'"' or (byte)'\\') && json[position] >= 0x20 && (!ascii || json[position] < 0x80))
                {
                    position++;
                }

                if (position >= json.Length)
                {
                    return -1;
                }
            }

            var b = json[position];
            if (b == '"')
            {
                break;
            }

            if (b >= 0x80)
            {
                ascii = false;
                position++;
                continue;
            }

            // A control byte is not JSON. Of the \u escapes, one that names a surrogate is left to the reader (a pair
            // must be whole); the rest are the ones the API server's encoder writes for <, >, & and U+2028/U+2029.
            var length = b != '\\' || position + 1 >= json.Length ? 0
                : json[position + 1] is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' ? 2
                : json[position + 1] == 'u' && position + 6 < json.Length && Hex4(json.Slice(position + 2, 4)) is >= 0 and (< 0xD800 or > 0xDFFF) ? 6
                : 0;
            if (length == 0)
            {
                return -1;
            }

            escaped = true;
            position += length;
        }

        return ascii || Utf8.IsValid(json[(at + 1)..position]) ? position + 1 : -1;
    }

    /// <summary>The value of four hex digits; -1 when one is not a hex digit.</summary>
    private static int Hex4(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var d in digits)
        {
            var digit = d - (uint)'0' <= 9 ? d - '0' : (d | 0x20) - (uint)'a' <= 5 ? (d | 0x20) - 'a' + 10 : -1;
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    /// <summary>Any value starting at <paramref name="at"/> (no white space before it), nested <paramref name="depth"/> deep.</summary>
    public static int Value(ReadOnlySpan<byte> json, int at, int depth)
    {
        if ((uint)at >= (uint)json.Length)
        {
            return -1;
        }

        return json[at] switch
        {
            (byte)'"' => String(json, at, out _),
            (byte)'{' => Object(json, at, depth + 1),
            (byte)'[' => Array(json, at, depth + 1),
            (byte)'t' => Literal(json, at, "true"u8),
            (byte)'f' => Literal(json, at, "false"u8),
            (byte)'n' => Literal(json, at, "null"u8),
            _ => Number(json, at),
        };
    }

    /// <summary>The type of the value's first token, as the reader would name it; the value is known to be valid.</summary>
    public static JsonTokenType TypeOf(byte first) => first switch
    {
        (byte)'"' => JsonTokenType.String,
        (byte)'{' => JsonTokenType.StartObject,
        (byte)'[' => JsonTokenType.StartArray,
        (byte)'t' => JsonTokenType.True,
        (byte)'f' => JsonTokenType.False,
        (byte)'n' => JsonTokenType.Null,
        _ => JsonTokenType.Number,
    };

    /// <summary>A <c>:</c> after a member name, with the white space around it; the position of the value.</summary>
    public static int Colon(ReadOnlySpan<byte> json, int at)
    {
        at = WhiteSpace(json, at);
        return Is(json, at, (byte)':') ? WhiteSpace(json, at + 1) : -1;
    }

    /// <summary>
    /// What follows a member or an item: a comma (then the position of the next name or item, and
    /// <paramref name="more"/>) or <paramref name="close"/> (then the position after it).
    /// </summary>
    public static int Next(ReadOnlySpan<byte> json, int at, byte close, out bool more)
    {
        at = WhiteSpace(json, at);
        more = Is(json, at, (byte)',');
        if (more)
        {
            return WhiteSpace(json, at + 1);
        }

        return Is(json, at, close) ? at + 1 : -1;
    }

    private static int WhiteSpaceFrom(ReadOnlySpan<byte> json, int at)
    {
        while ((uint)at < (uint)json.Length && json[at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            at++;
        }

        return at;
    }

    private static int Object(ReadOnlySpan<byte> json, int at, int depth)
    {
        if (depth > MaxDepth)
        {
            return -1;
        }

        at = WhiteSpace(json, at + 1);
        if (Is(json, at, (byte)'}'))
        {
            return at + 1;
        }

        while (true)
        {
            if (!Is(json, at, (byte)'"') || (at = String(json, at, out _)) < 0 || (at = Colon(json, at)) < 0 || (at = Value(json, at, depth)) < 0)
            {
                return -1;
            }

            at = Next(json, at, (byte)'}', out var more);
            if (at < 0 || !more)
            {
                return at;
            }
        }
    }

    private static int Array(ReadOnlySpan<byte> json, int at, int depth)
    {
        if (depth > MaxDepth)
        {
            return -1;
        }

        at = WhiteSpace(json, at + 1);
        if (Is(json, at, (byte)']'))
        {
            return at + 1;
        }

        while (true)
        {
            if ((at = Value(json, at, depth)) < 0)
            {
                return -1;
            }

            at = Next(json, at, (byte)']', out var more);
            if (at < 0 || !more)
            {
                return at;
            }
        }
    }

    private static int Literal(ReadOnlySpan<byte> json, int at, ReadOnlySpan<byte> word) =>
        json[at..].StartsWith(word) && EndsToken(json, at + word.Length) ? at + word.Length : -1;

    /// <summary><c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>, ended by a delimiter.</summary>
    private static int Number(ReadOnlySpan<byte> json, int at)
    {
        if (Is(json, at, (byte)'-'))
        {
            at++;
        }

        if (Is(json, at, (byte)'0'))
        {
            at++;
        }
        else if ((at = Digits(json, at)) < 0)
        {
            return -1;
        }

        if (Is(json, at, (byte)'.') && (at = Digits(json, at + 1)) < 0)
        {
            return -1;
        }

        if (Is(json, at, (byte)'e') || Is(json, at, (byte)'E'))
        {
            at++;
            if (Is(json, at, (byte)'+') || Is(json, at, (byte)'-'))
            {
                at++;
            }

            if ((at = Digits(json, at)) < 0)
            {
                return -1;
            }
        }

        return EndsToken(json, at) ? at : -1;
    }

    /// <summary>One or more digits; the position after them, or -1 when there is none.</summary>
    private static int Digits(ReadOnlySpan<byte> json, int at)
    {
        var start = at;
        while ((uint)at < (uint)json.Length && json[at] - (uint)'0' <= 9)
        {
            at++;
        }

        return at > start ? at : -1;
    }

    /// <summary>Whether a number or literal may end before <paramref name="at"/> inside an object or array.</summary>
    private static bool EndsToken(ReadOnlySpan<byte> json, int at) =>
        (uint)at < (uint)json.Length && json[at] is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';
}
