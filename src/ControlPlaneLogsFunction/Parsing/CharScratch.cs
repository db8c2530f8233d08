namespace ControlPlaneLogsFunction.Parsing;

/// <summary>
/// A reusable, growable char buffer for values that have to be unescaped. One per document builder, so
/// parsing a line allocates nothing once the buffer has grown to the longest value seen.
/// </summary>
public sealed class CharScratch
{
    private char[] _buffer = new char[256];

    /// <summary>Chars written since the last <see cref="Clear"/>.</summary>
    public int Length { get; private set; }

    /// <summary>What has been written.</summary>
    public ReadOnlySpan<char> Written => _buffer.AsSpan(0, Length);

    /// <summary>Forgets what was written.</summary>
    public void Clear() => Length = 0;

    /// <summary>Appends one char.</summary>
    public void Append(char c)
    {
        if (Length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[Length++] = c;
    }

    /// <summary>Appends chars.</summary>
    public void Append(ReadOnlySpan<char> chars)
    {
        if (Length + chars.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + chars.Length));
        }

        chars.CopyTo(_buffer.AsSpan(Length));
        Length += chars.Length;
    }
}
