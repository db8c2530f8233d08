using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Unicode;

namespace Shared.OpenSearch;

/// <summary>
/// An NDJSON <c>_bulk</c> body built straight into one reusable byte buffer: an action line (its fixed bytes
/// and the index and id copied when they need no escaping, as all real ones, else written by
/// <see cref="Utf8JsonWriter"/>), then the document. No string is made on the way.
/// </summary>
/// <remarks>
/// Every document of both functions enters a request here, so this is where the body's one invariant is
/// kept: <b>a document is exactly one line</b>. A line break inside a document would turn the rest of it
/// into an action line, and OpenSearch refuses the whole request (400), taking every other document of
/// the request down with it, delivery after delivery. A document's bytes are copied and checked in one
/// vectorized pass; one that holds no byte below 0x20 (so no CR, LF or tab), is valid UTF-8 and is
/// written <c>{...}</c> goes in as it is: that is every document the builders write. Anything else is
/// parsed: one valid JSON object is written compactly (whitespace between tokens dropped), and anything
/// that is not one valid JSON object is refused (<see cref="BulkAppendResult.Refused"/>) with the reason,
/// never sent.
/// </remarks>
public sealed class BulkRequestBody
{
    /// <summary>The error type of a document refused here, before any request (OpenSearch's are snake_case too).</summary>
    public const string RefusalType = "invalid_document";

    private static readonly JsonEncodedText IndexAction = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText IndexName = JsonEncodedText.Encode("_index");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("_id");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText VersionTypeName = JsonEncodedText.Encode("version_type");
    private static readonly JsonEncodedText External = JsonEncodedText.Encode("external");

    // Characters the writer (its default encoder) writes as they are, in names and ids, and that any index name uses.
    private static readonly SearchValues<char> PlainChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:");

    // The fixed bytes of the longest plain action line and a long's longest digits.
    private const int PlainActionBytes = 96;

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

    /// <summary>The NDJSON written so far (an action line and a source line per item, each ending in a newline), ready to send as the <c>_bulk</c> request body; valid until the next write or <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Memory => _body.WrittenMemory;

    /// <summary>Empties the body, keeping its buffer.</summary>
    public void Clear()
    {
        _body.ResetWrittenCount();
        Count = 0;
    }

    /// <summary>
    /// Appends the item if it fits within the size limit, or if the body is empty (a document larger than
    /// the limit is still sent, alone, and OpenSearch decides), with its document on one line.
    /// </summary>
    /// <param name="item">The item.</param>
    /// <param name="refusal">With <see cref="BulkAppendResult.Refused"/>: why the document can never be sent.</param>
    /// <returns>Whether the item was appended, did not fit (send the body first), or is refused for good.</returns>
    public BulkAppendResult Append(BulkItem item, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(item);
        refusal = null;
        _action.ResetWrittenCount();
        if (!TryWritePlainAction(item))
        {
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
        }

        // The size as given: a document that gets compacted below only shrinks.
        var action = _action.WrittenCount;
        var source = item.Source.Span;
        var size = action + 1 + source.Length + 1;
        if (Count > 0 && _body.WrittenCount + size > _maxBytes)
        {
            return BulkAppendResult.Full;
        }

        var span = _body.GetSpan(size);
        _action.WrittenSpan.CopyTo(span);
        span[action] = (byte)'\n';
        var target = span.Slice(action + 1, source.Length);
        var length = source.Length;
        if (!CopyOneLineObject(source, target) && !TryRewrite(source, target, out length, out refusal))
        {
            return BulkAppendResult.Refused; // nothing advanced: the body is as it was
        }

        span[action + 1 + length] = (byte)'\n';
        _body.Advance(action + 1 + length + 1);
        Count++;
        return BulkAppendResult.Appended;
    }

    /// <summary>
    /// Writes the action line without the writer when the index and id are made of <see cref="PlainChars"/>,
    /// as every index name and every id of both functions is: the bytes are the ones the writer would write,
    /// with nothing to escape and no UTF-16 to transcode. False, having written nothing, otherwise.
    /// </summary>
    private bool TryWritePlainAction(BulkItem item)
    {
        var index = item.Index.AsSpan();
        var id = item.Id.AsSpan();
        if (index.ContainsAnyExcept(PlainChars) || id.ContainsAnyExcept(PlainChars))
        {
            return false;
        }

        var span = _action.GetSpan(PlainActionBytes + index.Length + id.Length);
        var at = Put(span, 0, "{\"index\":{\"_index\":\""u8);
        at += System.Text.Encoding.ASCII.GetBytes(index, span[at..]);
        at = Put(span, at, "\",\"_id\":\""u8);
        at += System.Text.Encoding.ASCII.GetBytes(id, span[at..]);
        if (item.ExternalVersion is { } version)
        {
            at = Put(span, at, "\",\"version\":"u8);
            System.Buffers.Text.Utf8Formatter.TryFormat(version, span[at..], out var digits);
            at = Put(span, at + digits, ",\"version_type\":\"external\"}}"u8);
        }
        else
        {
            at = Put(span, at, "\"}}"u8);
        }

        _action.Advance(at);
        return true;
    }

    private static int Put(Span<byte> span, int at, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span[at..]);
        return at + text.Length;
    }

    /// <summary>
    /// Copies the document and says whether it can go in as it is: <c>{...}</c>, no byte below 0x20, valid
    /// UTF-8. The check rides on the copy (one load, one store, a compare and two ORs per 32 bytes), so a
    /// document the builders wrote costs about what copying it costs.
    /// </summary>
    private static bool CopyOneLineObject(ReadOnlySpan<byte> source, Span<byte> target)
    {
        if (source.Length < 2 || source[0] != (byte)'{' || source[^1] != (byte)'}')
        {
            return false;
        }

        var control = CopyAndScan(source, target, out var nonAscii);
        return !control && (!nonAscii || Utf8.IsValid(source));
    }

    /// <summary>Copies <paramref name="source"/>; true when it holds a byte below 0x20, <paramref name="nonAscii"/> when one of 0x80 or above.</summary>
    private static bool CopyAndScan(ReadOnlySpan<byte> source, Span<byte> target, out bool nonAscii)
    {
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(target);
        var length = (nuint)source.Length;
        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<byte>.Count)
        {
            var space = Vector256.Create((byte)0x20);
            var control = Vector256<byte>.Zero;
            var all = Vector256<byte>.Zero;
            var last = length - (nuint)Vector256<byte>.Count;
            for (nuint i = 0; i < last; i += (nuint)Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref from, i);
                v.StoreUnsafe(ref to, i);
                control |= Vector256.LessThan(v, space);
                all |= v;
            }

            // The last block overlaps the previous one rather than leaving a tail.
            var tail = Vector256.LoadUnsafe(ref from, last);
            tail.StoreUnsafe(ref to, last);
            control |= Vector256.LessThan(tail, space);
            all |= tail;
            nonAscii = all.ExtractMostSignificantBits() != 0;
            return control != Vector256<byte>.Zero;
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<byte>.Count)
        {
            var space = Vector128.Create((byte)0x20);
            var control = Vector128<byte>.Zero;
            var all = Vector128<byte>.Zero;
            var last = length - (nuint)Vector128<byte>.Count;
            for (nuint i = 0; i < last; i += (nuint)Vector128<byte>.Count)
            {
                var v = Vector128.LoadUnsafe(ref from, i);
                v.StoreUnsafe(ref to, i);
                control |= Vector128.LessThan(v, space);
                all |= v;
            }

            var tail = Vector128.LoadUnsafe(ref from, last);
            tail.StoreUnsafe(ref to, last);
            control |= Vector128.LessThan(tail, space);
            all |= tail;
            nonAscii = all.ExtractMostSignificantBits() != 0;
            return control != Vector128<byte>.Zero;
        }

        var found = false;
        var high = 0;
        for (nuint i = 0; i < length; i++)
        {
            var b = Unsafe.Add(ref from, i);
            Unsafe.Add(ref to, i) = b;
            found |= b < 0x20;
            high |= b;
        }

        nonAscii = high >= 0x80;
        return found;
    }

    /// <summary>
    /// The slow path, for a document that is not plainly one line: parse it; one valid JSON object is
    /// written compactly into <paramref name="target"/>, anything else is refused with the reason.
    /// </summary>
    private static bool TryRewrite(ReadOnlySpan<byte> source, Span<byte> target, out int length, out string? refusal)
    {
        if (!JsonCompactor.TryCompact(source, target, out length, out var problem))
        {
            refusal = $"the document is not one JSON object: {problem}";
            return false;
        }

        if (target[0] != (byte)'{')
        {
            refusal = $"the document is a JSON {target[0] switch { (byte)'[' => "array", (byte)'"' => "string", (byte)'t' or (byte)'f' => "boolean", (byte)'n' => "null", _ => "number" }}, not an object";
            return false;
        }

        refusal = null;
        return true;
    }
}
