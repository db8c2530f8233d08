using System.Globalization;

namespace ControlPlaneLogsFunction.Parsing;

/// <summary>
/// Reads <c>key=value</c> pairs as structured klog and logrus (aws-iam-authenticator) write them: values
/// bare (<c>method=POST</c>), Go-quoted with escapes (<c>msg="access \"granted\""</c>), JSON-ish
/// (<c>obj={"a":1}</c>, <c>groups=[a b]</c>) or klog's multi-line form (<c>key=&lt;\n\tline\n &gt;</c>).
/// It stops at the first token that is not a pair, so free text is never mistaken for fields.
/// </summary>
public ref struct KeyValueScanner
{
    /// <summary>Longest key accepted; longer "keys" are free text, not fields.</summary>
    public const int MaxKeyLength = 128;

    private readonly ReadOnlySpan<char> _text;
    private readonly CharScratch _scratch;
    private int _position;

    /// <summary>Scans <paramref name="text"/>, unescaping quoted values into <paramref name="scratch"/>.</summary>
    public KeyValueScanner(ReadOnlySpan<char> text, CharScratch scratch)
    {
        _text = text;
        _scratch = scratch;
        _position = 0;
        Key = default;
        Value = default;
    }

    /// <summary>The current pair's key.</summary>
    public ReadOnlySpan<char> Key { get; private set; }

    /// <summary>The current pair's value, unescaped; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Value { get; private set; }

    /// <summary>The text not read yet.</summary>
    public readonly ReadOnlySpan<char> Remaining => _text[_position..];

    /// <summary>True when only whitespace is left: every token so far was a pair.</summary>
    public readonly bool AtEnd => _text[_position..].IsWhiteSpace();

    /// <summary>
    /// Reads a quoted string at the current position (structured klog starts with its quoted message)
    /// into <see cref="Value"/>; false, without moving, when there is none.
    /// </summary>
    public bool TryReadQuoted()
    {
        var i = _position;
        if (i >= _text.Length || _text[i] != '"' || !ReadQuoted(ref i))
        {
            return false;
        }

        Key = default;
        _position = i;
        return true;
    }

    /// <summary>Moves to the next pair; false at the end or at a token that is not a pair.</summary>
    public bool MoveNext()
    {
        var text = _text;
        var i = _position;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var keyStart = i;
        while (i < text.Length && text[i] != '=')
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == '"' || i - keyStart >= MaxKeyLength)
            {
                return false;
            }

            i++;
        }

        if (i == keyStart || i == text.Length)
        {
            return false;
        }

        var key = text[keyStart..i];
        i++; // '='
        if (!ReadValue(ref i))
        {
            return false;
        }

        Key = key;
        _position = i;
        return true;
    }

    private bool ReadValue(ref int i)
    {
        var text = _text;
        if (i == text.Length || char.IsWhiteSpace(text[i]))
        {
            Value = [];
            return true;
        }

        var c = text[i];
        if (c == '"')
        {
            return ReadQuoted(ref i);
        }

        if (c == '<' && i + 1 < text.Length && text[i + 1] == '\n')
        {
            return ReadMultiLine(ref i);
        }

        if ((c == '{' || c == '[') && TryReadBalanced(text, i, out var end))
        {
            Value = text[i..end];
            i = end;
            return true;
        }

        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        Value = text[start..i];
        return true;
    }

    private bool ReadQuoted(ref int i)
    {
        var text = _text;
        var start = i + 1;
        var end = start;
        // Fast path: no escapes, the value is a slice of the input.
        while (end < text.Length && text[end] != '"' && text[end] != '\\')
        {
            end++;
        }

        if (end < text.Length && text[end] == '"')
        {
            Value = text[start..end];
            i = end + 1;
            return true;
        }

        _scratch.Clear();
        _scratch.Append(text[start..end]);
        var j = end;
        while (j < text.Length)
        {
            var c = text[j];
            if (c == '"')
            {
                Value = _scratch.Written;
                i = j + 1;
                return true;
            }

            if (c != '\\' || j + 1 == text.Length)
            {
                _scratch.Append(c);
                j++;
                continue;
            }

            var e = text[j + 1];
            j += 2;
            switch (e)
            {
                case 'n': _scratch.Append('\n'); break;
                case 't': _scratch.Append('\t'); break;
                case 'r': _scratch.Append('\r'); break;
                case 'u' when TryHex(text, j, 4, out var u):
                    _scratch.Append((char)u);
                    j += 4;
                    break;
                case 'x' when TryHex(text, j, 2, out var x):
                    _scratch.Append((char)x);
                    j += 2;
                    break;
                default: _scratch.Append(e); break; // \" \\ and anything Go would not produce
            }
        }

        return false; // no closing quote: not a well-formed pair
    }

    private bool ReadMultiLine(ref int i)
    {
        var text = _text;
        // klog writes a multi-line string as "<\n", each line indented by a tab, then "\n >".
        var bodyStart = i + 2;
        var close = text[bodyStart..].IndexOf("\n >", StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        var body = text.Slice(bodyStart, close);
        _scratch.Clear();
        var first = true;
        foreach (var range in body.Split('\n'))
        {
            var line = body[range];
            if (!first)
            {
                _scratch.Append('\n');
            }

            _scratch.Append(line.StartsWith('\t') ? line[1..] : line);
            first = false;
        }

        Value = _scratch.Written;
        i = bodyStart + close + 3;
        return true;
    }

    private static bool TryReadBalanced(ReadOnlySpan<char> text, int i, out int end)
    {
        var depth = 0;
        var inString = false;
        for (var j = i; j < text.Length; j++)
        {
            var c = text[j];
            if (inString)
            {
                if (c == '\\')
                {
                    j++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"': inString = true; break;
                case '{' or '[': depth++; break;
                case '}' or ']':
                    depth--;
                    if (depth == 0)
                    {
                        end = j + 1;
                        return end == text.Length || char.IsWhiteSpace(text[end]);
                    }

                    break;
            }
        }

        end = -1;
        return false;
    }

    private static bool TryHex(ReadOnlySpan<char> text, int start, int length, out int value)
    {
        value = 0;
        return start + length <= text.Length
            && int.TryParse(text.Slice(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
