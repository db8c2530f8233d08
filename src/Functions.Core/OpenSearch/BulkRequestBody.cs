using System.Buffers;
using System.Text.Json;

namespace Functions.Core.OpenSearch;

/// <summary>
/// An NDJSON <c>_bulk</c> body built straight into one reusable byte buffer: an action line written by
/// <see cref="Utf8JsonWriter"/>, then the document's bytes as they are. No string is made on the way.
/// </summary>
public sealed class BulkRequestBody
{
    private static readonly JsonEncodedText IndexAction = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("_index");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("_id");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText VersionTypeName = JsonEncodedText.Encode("version_type");
    private static readonly JsonEncodedText External = JsonEncodedText.Encode("external");

    private readonly ArrayBufferWriter<byte> _body = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _action = new(256);
    private readonly Utf8JsonWriter _writer;
    private readonly int _maxBytes;

    /// <summary>Creates an empty body that holds at most <paramref name="maxBytes"/> (but always at least one item).</summary>
    public BulkRequestBody(int maxBytes)
    {
        _maxBytes = maxBytes;
        _writer = new Utf8JsonWriter(_action);
    }

    /// <summary>Bytes written.</summary>
    public int Length => _body.WrittenCount;

    /// <summary>Items written.</summary>
    public int Count { get; private set; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Memory => _body.WrittenMemory;

    /// <summary>Empties the body, keeping its buffer.</summary>
    public void Clear()
    {
        _body.ResetWrittenCount();
        Count = 0;
    }

    /// <summary>
    /// Appends the item if it fits within the size limit, or if the body is empty (a document larger than
    /// the limit is still sent, alone, and OpenSearch decides).
    /// </summary>
    /// <returns>False when the item does not fit and the body should be sent first.</returns>
    public bool TryAppend(BulkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _action.ResetWrittenCount();
        _writer.Reset(_action);
        _writer.WriteStartObject();
        _writer.WriteStartObject(IndexAction);
        _writer.WriteString(IndexName, item.Index);
        _writer.WriteString(IdName, item.Id);
        if (item.ExternalVersion is { } version)
        {
            _writer.WriteNumber(VersionName, version);
            _writer.WriteString(VersionTypeName, External);
        }

        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();

        var size = _action.WrittenCount + 1 + item.Source.Length + 1;
        if (Count > 0 && _body.WrittenCount + size > _maxBytes)
        {
            return false;
        }

        var span = _body.GetSpan(size);
        _action.WrittenSpan.CopyTo(span);
        span[_action.WrittenCount] = (byte)'\n';
        item.Source.Span.CopyTo(span[(_action.WrittenCount + 1)..]);
        span[size - 1] = (byte)'\n';
        _body.Advance(size);
        Count++;
        return true;
    }
}
