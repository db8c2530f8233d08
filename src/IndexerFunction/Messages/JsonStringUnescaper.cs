using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace IndexerFunction.Messages;

/// <summary>
/// Finds the end of a JSON string and unescapes it in the same pass. An SQS body holding JSON is itself
/// a JSON string with an escape every few bytes (each quote of the inner JSON), so a reader that first
/// validates the token and then unescapes it walks those bytes twice, mostly one at a time. Here the
/// quotes, backslashes and control characters of 16 bytes are found at once, and every run between
/// them is copied as one 16-byte block of which the output keeps only the run.
/// </summary>
public static class JsonStringUnescaper
{
    private static readonly SearchValues<byte> Special = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>Unescapes the string that <paramref name="source"/> starts (just after its opening quote).</summary>
    /// <param name="source">The bytes after the opening quote; the string ends at the first unescaped quote.</param>
    /// <param name="destination">Where the unescaped UTF-8 goes; at least as long as <paramref name="source"/>
    /// (unescaping never lengthens a string).</param>
    /// <param name="written">The unescaped length.</param>
    /// <param name="problem">When the string is not valid JSON (an unknown escape, a lone surrogate, a raw
    /// control character), what and where; the end is still found, so the caller can go on after it.</param>
    /// <returns>The bytes read, closing quote included; 0 when <paramref name="source"/> has no closing quote.</returns>
    public static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination, out int written, out string? problem)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination must be at least as long as the source.", nameof(destination));
        }

        problem = null;
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        int s = 0, d = 0; // read and write positions; d <= s always, so what fits the source fits the destination
        while (true)
        {
            if (Vector128.IsHardwareAccelerated && s + (2 * Vector128<byte>.Count) <= source.Length)
            {
                // One mask per block; the bounds check above leaves room for a 16-byte copy from anywhere in it.
                var block = s;
                var vector = Vector128.LoadUnsafe(ref from, (nuint)block);
                var mask = SpecialMask(vector);
                if (mask != 0 && TryDropQuoteEscapes(vector, mask, ref to, ref d))
                {
                    s += Vector128<byte>.Count;
                    continue;
                }

                while (true)
                {
                    Vector128.LoadUnsafe(ref from, (nuint)s).StoreUnsafe(ref to, (nuint)d);
                    if (mask == 0)
                    {
                        d += block + Vector128<byte>.Count - s;
                        s = block + Vector128<byte>.Count;
                        break;
                    }

                    var special = block + BitOperations.TrailingZeroCount(mask);
                    d += special - s;
                    s = special;
                    if (source[s] == '\\' && CommonEscape(source, s) is { Value: not 0 } escape)
                    {
                        // The common case, kept in this loop: \" and the like.
                        destination[d++] = escape.Value;
                        s += escape.Length;
                    }
                    else if (source[s] == '"')
                    {
                        written = d;
                        return s + 1;
                    }
                    else
                    {
                        (s, d) = Unusual(source, destination, s, d, ref problem);
                    }

                    var done = s - block;
                    if (done >= Vector128<byte>.Count)
                    {
                        break;
                    }

                    mask &= ~0u << done;
                }

                continue;
            }

            // The last bytes, or no vector hardware.
            var run = source[s..].IndexOfAny(Special);
            if (run < 0)
            {
                break;
            }

            source.Slice(s, run).CopyTo(destination[d..]);
            s += run;
            d += run;
            if (source[s] == '"')
            {
                written = d;
                return s + 1;
            }

            if (source[s] == '\\' && s + 1 == source.Length)
            {
                break;
            }

            if (source[s] == '\\' && CommonEscape(source, s) is { Value: not 0 } escapeNearEnd)
            {
                destination[d++] = escapeNearEnd.Value;
                s += escapeNearEnd.Length;
                continue;
            }

            (s, d) = Unusual(source, destination, s, d, ref problem);
        }

        written = 0;
        return 0;
    }

    /// <summary>
    /// The common block of an SQS body holding JSON: its only escapes are <c>\"</c>, each whole within the
    /// block, and it holds no other special byte. Then the unescaped block is the block without its
    /// backslashes, which two table shuffles (one per 8 bytes) pack together; the per-escape loop, a
    /// branch for each escape, is what this skips. Any other block is left to that loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryDropQuoteEscapes(Vector128<byte> block, uint special, ref byte to, ref int d)
    {
        if (!Ssse3.IsSupported && !AdvSimd.Arm64.IsSupported)
        {
            return false;
        }

        var backslashes = Vector128.Equals(block, Vector128.Create((byte)'\\')).ExtractMostSignificantBits();
        var quotes = backslashes << 1;
        // Each backslash is followed by a quote in the block, each quote follows a backslash, and nothing else
        // is special (a quote mask one bit wider than the block means a backslash was the last byte).
        if ((backslashes | quotes) != special
            || Vector128.Equals(block, Vector128.Create((byte)'"')).ExtractMostSignificantBits() != quotes)
        {
            return false;
        }

        var low = backslashes & 0xFF;
        var high = backslashes >> 8;
        Shuffle(block, KeepLow[(int)low]).StoreUnsafe(ref to, (nuint)d);
        d += 8 - BitOperations.PopCount(low);
        Shuffle(block, KeepHigh[(int)high]).StoreUnsafe(ref to, (nuint)d);
        d += 8 - BitOperations.PopCount(high);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Shuffle(Vector128<byte> block, Vector128<byte> indices) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(block, indices) : AdvSimd.Arm64.VectorTableLookup(block, indices);

    /// <summary>For each set of backslash positions among bytes 0-7, the shuffle that keeps the other bytes, in order, at the front.</summary>
    private static readonly Vector128<byte>[] KeepLow = KeepTable(0);

    /// <summary>The same for bytes 8-15.</summary>
    private static readonly Vector128<byte>[] KeepHigh = KeepTable(8);

    private static Vector128<byte>[] KeepTable(int first)
    {
        var table = new Vector128<byte>[256];
        Span<byte> indices = stackalloc byte[16];
        for (var dropped = 0; dropped < 256; dropped++)
        {
            indices.Fill(0x80); // an index with the high bit set gives 0, on both instruction sets
            var kept = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                if ((dropped & (1 << bit)) == 0)
                {
                    indices[kept++] = (byte)(first + bit);
                }
            }

            table[dropped] = Vector128.Create((ReadOnlySpan<byte>)indices);
        }

        return table;
    }

    private static uint SpecialMask(Vector128<byte> block) =>
        (Vector128.Equals(block, Vector128.Create((byte)'"'))
            | Vector128.Equals(block, Vector128.Create((byte)'\\'))
            | Vector128.LessThan(block, Vector128.Create((byte)0x20))).ExtractMostSignificantBits();

    /// <summary>
    /// The escape at <paramref name="s"/> (followed by at least one byte) when it stands for one ASCII
    /// byte: a two-byte escape, or <c>\u00XX</c> (how some serializers write every quote). Its value
    /// is 0 for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (byte Value, int Length) CommonEscape(ReadOnlySpan<byte> source, int s)
    {
        var escaped = source[s + 1];
        if (escaped != 'u')
        {
            return (ShortEscape(escaped), 2);
        }

        return s + 6 <= source.Length && source[s + 2] == '0' && source[s + 3] == '0'
            && HexDigit(source[s + 4]) is >= 0 and < 8 and var high && HexDigit(source[s + 5]) is >= 0 and var low
                ? ((byte)((high << 4) | low), 6)
                : ((byte)0, 0);
    }

    /// <summary>What a two-byte escape stands for; 0 for <c>\u</c> and for what is not an escape.</summary>
    private static byte ShortEscape(byte escaped) => escaped switch
    {
        (byte)'"' or (byte)'\\' or (byte)'/' => escaped,
        (byte)'n' => (byte)'\n',
        (byte)'r' => (byte)'\r',
        (byte)'t' => (byte)'\t',
        (byte)'b' => (byte)'\b',
        (byte)'f' => (byte)'\f',
        _ => 0,
    };

    /// <summary>
    /// A <c>\u</c> escape, an invalid escape or a raw control character at <paramref name="s"/>, followed
    /// by at least one more byte. Kept out of the main loop (its read and write positions would otherwise
    /// live in memory).
    /// </summary>
    /// <returns>The read and write positions after it.</returns>
    private static (int Read, int Written) Unusual(ReadOnlySpan<byte> source, Span<byte> destination, int s, int d, ref string? problem)
    {
        var b = source[s];
        if (b != '\\')
        {
            // JSON requires a control character escaped. Kept as it is, so the end is still found.
            problem ??= string.Create(CultureInfo.InvariantCulture, $"unescaped control character 0x{b:X2} at byte {s}");
            destination[d] = b;
            return (s + 1, d + 1);
        }

        if (source[s + 1] != 'u')
        {
            // A backslash escapes exactly one byte, whatever it is: \" never ends the string.
            problem ??= string.Create(CultureInfo.InvariantCulture, $"invalid escape {Excerpt(source.Slice(s, 2))} at byte {s}");
            destination[d] = source[s + 1];
            return (s + 2, d + 1);
        }

        if (TryUnescapeUnicode(source[s..], destination[d..], out var read, out var length))
        {
            return (s + read, d + length);
        }

        problem ??= string.Create(CultureInfo.InvariantCulture, $"invalid \\u escape (not four hex digits, or a lone surrogate) at byte {s}: {Excerpt(source.Slice(s, Math.Min(6, source.Length - s)))}");
        return (s + 2, d);
    }

    /// <summary>
    /// A <c>\uXXXX</c> escape, or two forming a surrogate pair, as UTF-8. A lone surrogate has no UTF-8
    /// form (a reader would refuse to make a string of it), so it makes the string invalid.
    /// </summary>
    private static bool TryUnescapeUnicode(ReadOnlySpan<byte> escape, Span<byte> destination, out int read, out int written)
    {
        read = written = 0;
        if (!TryParseHex4(escape, out var unit))
        {
            return false;
        }

        int scalar = unit;
        read = 6;
        if (char.IsHighSurrogate((char)unit))
        {
            if (escape.Length < 12 || escape[6] != '\\' || escape[7] != 'u' || !TryParseHex4(escape[6..], out var low) || !char.IsLowSurrogate((char)low))
            {
                return false;
            }

            scalar = char.ConvertToUtf32((char)unit, (char)low);
            read = 12;
        }
        else if (char.IsLowSurrogate((char)unit))
        {
            return false;
        }

        written = new Rune(scalar).EncodeToUtf8(destination);
        return true;
    }

    /// <summary>The four hex digits of <c>\uXXXX</c> at the start of <paramref name="escape"/>.</summary>
    private static bool TryParseHex4(ReadOnlySpan<byte> escape, out int value)
    {
        value = 0;
        if (escape.Length < 6)
        {
            return false;
        }

        foreach (var c in escape.Slice(2, 4))
        {
            var digit = HexDigit(c);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Excerpt(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
