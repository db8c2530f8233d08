using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Shared.Contract;
using Shared.Contract.Indices;
using Shared.OpenSearch;

namespace IndexerFunction.Documents;

/// <summary>
/// Turns a core/v1 Event into the document the event indices hold (docs/contract.md, "Kubernetes event
/// documents"), written straight into the batch's byte buffer:
/// the event as the API served it, less <c>metadata.managedFields</c>; dots replaced by underscores in
/// the keys of every <c>labels</c> and <c>annotations</c> map (a key like <c>app.kubernetes.io/name</c>
/// would otherwise become an object path and clash with <c>app</c>); <c>firstTimestamp</c> and
/// <c>lastTimestamp</c> filled when null; <c>clusterName</c>, <c>@timestamp</c>, and the <c>object</c> block
/// and <c>origin</c> both indices share (<see cref="InvolvedObjectBlock"/>) added.
/// </summary>
/// <remarks>
/// The event is read in one forward pass of a <see cref="Utf8JsonReader"/> (<see cref="Scan"/>), which notes
/// where each member's name and value lie and reads the few values the document depends on; no DOM is built.
/// The document is then written from those byte ranges (<see cref="Build"/>): runs of members that stay as
/// they are are copied as they are, and only a member that must change is read again. For the Collector's
/// envelopes, <see cref="TryScanFast"/> notes the same things without the reader.
/// </remarks>
public sealed class EventDocumentBuilder(string indexPrefix)
{
    private static readonly JsonEncodedText ClusterNameProperty = JsonEncodedText.Encode("clusterName");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("@timestamp");
    private static readonly JsonEncodedText FirstTimestampProperty = JsonEncodedText.Encode("firstTimestamp");
    private static readonly JsonEncodedText LastTimestampProperty = JsonEncodedText.Encode("lastTimestamp");

    /// <summary>As deep as a message body may nest (the message reader's limit), so a part of it read again never fails where the whole passed.</summary>
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 128 };

    // SkipValidation also lets a run of members copied as one raw value sit inside an object: the writer
    // puts the comma before it and after it as it would around a single value.
    private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions
    {
        SkipValidation = true,
        // Documents go to OpenSearch, not into HTML: keep non-ASCII text as UTF-8 instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    // Throws on a bad sequence, as the reader's GetString does, where the default encoding would put U+FFFD.
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private DateOnly _lastDate = DateOnly.MinValue;
    private string? _lastIndex;
    private string? _lastCluster;
    private JsonEncodedText _lastClusterEncoded;

    // What Scan found in the event last read; offsets are into the input the reader was given.
    private Entry[] _members = new Entry[32];
    private byte[] _unescaped = new byte[256];
    private int _memberCount;
    private int _eventStart;
    private int _eventEnd;
    private Token _metadata, _uid, _version, _involvedObject, _kind, _type, _reason;
    private EventTime? _creation, _first, _last, _eventTime, _seriesLast;
    private Token _objectKind, _objectApiVersion, _objectNamespace, _objectName, _objectUid;

    private enum Member
    {
        Other,
        Metadata,
        FirstTimestamp,
        LastTimestamp,
        EventTime,
        Series,
        Labels,
        Annotations,
        InvolvedObject,
        Kind, // written as Other; read for the message reader's check of list items
        Type, // written as Other; read for the Warning-event metric
        Reason, // written as Other; read for the Warning-event metric
        Ours, // clusterName, @timestamp, object, origin
    }

    /// <summary>The index prefix (EVENTS_INDEX).</summary>
    public string IndexPrefix { get; } = indexPrefix;

    /// <summary>Builds the bulk item for one event, appending its source to <paramref name="output"/>.</summary>
    /// <param name="evt">The event: one JSON object, UTF-8.</param>
    /// <param name="clusterName">The cluster the event comes from.</param>
    /// <param name="output">Where the document's bytes go; the item's source is a slice of them.</param>
    /// <param name="problem">Why the event cannot be indexed, naming the field at fault.</param>
    /// <returns>The item, or null when <paramref name="problem"/> says why not.</returns>
    /// <exception cref="JsonException"><paramref name="evt"/> is not JSON.</exception>
    /// <exception cref="ArgumentException"><paramref name="evt"/> is JSON but not an object.</exception>
    public BulkItem? TryBuild(ReadOnlySpan<byte> evt, string clusterName, ArrayBufferWriter<byte> output, out string? problem)
    {
        var reader = new Utf8JsonReader(evt, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException("An event is a JSON object.", nameof(evt));
        }

        Scan(ref reader);
        while (reader.Read())
        {
            // Validates what follows the object, as a parse of the whole input would.
        }

        return Build(evt, clusterName, output, out problem);
    }

    /// <summary>
    /// Reads the event object the reader stands at (its <see cref="JsonTokenType.StartObject"/>) up to its end,
    /// noting what <see cref="Build"/> needs. A repeated member counts at its last occurrence, as a lookup by
    /// name in a parsed document would find it.
    /// </summary>
    internal void Scan(ref Utf8JsonReader reader)
    {
        Reset((int)reader.TokenStartIndex);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var nameStart = (int)reader.TokenStartIndex;
            var nameEnd = nameStart + reader.ValueSpan.Length + 2;
            var member = Classify(ref reader);
            reader.Read();
            var value = Token.At(ref reader);
            switch (member)
            {
                case Member.Metadata:
                    _metadata = value;
                    _uid = _version = default;
                    _creation = null;
                    if (value.Type == JsonTokenType.StartObject)
                    {
                        ScanMetadata(ref reader);
                    }

                    break;
                case Member.InvolvedObject:
                    _involvedObject = value;
                    _objectKind = _objectApiVersion = _objectNamespace = _objectName = _objectUid = default;
                    if (value.Type == JsonTokenType.StartObject)
                    {
                        ScanInvolvedObject(ref reader);
                    }

                    break;
                case Member.Series:
                    _seriesLast = null;
                    if (value.Type == JsonTokenType.StartObject)
                    {
                        ScanSeries(ref reader);
                    }

                    break;
                case Member.FirstTimestamp: _first = Time(ref reader); break;
                case Member.LastTimestamp: _last = Time(ref reader); break;
                case Member.EventTime: _eventTime = Time(ref reader); break;
                case Member.Kind: _kind = value; break;
                case Member.Type: _type = value; break;
                case Member.Reason: _reason = value; break;
            }

            reader.Skip();
            Add(new Entry(member, nameStart, nameEnd, value.Start, (int)reader.BytesConsumed, value.Type));
        }

        _eventEnd = (int)reader.BytesConsumed;
    }

    /// <summary>
    /// <see cref="Scan"/> without a reader, for the message reader's fast path: reads the event object that starts at
    /// <paramref name="start"/> in <paramref name="source"/> (nested <paramref name="depth"/> deep) with
    /// <see cref="FastJson"/>, noting the same things in the same way. False when <see cref="FastJson"/> gives up;
    /// then nothing noted counts, and the caller reads the input with the reader instead.
    /// </summary>
    /// <returns>Whether the event was read; then <paramref name="end"/> is the position after it.</returns>
    internal bool TryScanFast(ReadOnlySpan<byte> source, int start, int depth, out int end)
    {
        Reset(start);
        end = -1;
        var at = FastJson.WhiteSpace(source, start + 1);
        var more = !FastJson.Is(source, at, (byte)'}');
        at = more ? at : at + 1;
        while (more)
        {
            // A name written with escapes is left to the reader, which compares it unescaped.
            var nameStart = at;
            if (!FastJson.Is(source, at, (byte)'"') || (at = FastJson.String(source, at, out var escaped)) < 0 || escaped)
            {
                return false;
            }

            var nameEnd = at;
            var valueStart = FastJson.Colon(source, nameEnd);
            if (valueStart < 0)
            {
                return false;
            }

            var member = Classify(source[(nameStart + 1)..(nameEnd - 1)]);
            switch (member)
            {
                case Member.Metadata: _uid = _version = default; _creation = null; break;
                case Member.InvolvedObject: _objectKind = _objectApiVersion = _objectNamespace = _objectName = _objectUid = default; break;
                case Member.Series: _seriesLast = null; break;
            }

            var valueEscaped = false;
            var valueEnd = member is Member.Metadata or Member.InvolvedObject or Member.Series && FastJson.Is(source, valueStart, (byte)'{')
                ? ScanObjectFast(source, valueStart, depth + 1, member)
                : FastValue(source, valueStart, depth, out valueEscaped);
            if (valueEnd < 0)
            {
                return false;
            }

            var value = FastToken(source, valueStart, valueEnd, valueEscaped);
            switch (member)
            {
                case Member.Metadata: _metadata = value; break;
                case Member.InvolvedObject: _involvedObject = value; break;
                case Member.FirstTimestamp: _first = FastTime(source, valueStart, valueEnd); break;
                case Member.LastTimestamp: _last = FastTime(source, valueStart, valueEnd); break;
                case Member.EventTime: _eventTime = FastTime(source, valueStart, valueEnd); break;
                case Member.Kind: _kind = value; break;
                case Member.Type: _type = value; break;
                case Member.Reason: _reason = value; break;
            }

            Add(new Entry(member, nameStart, nameEnd, valueStart, valueEnd, value.Type));
            at = FastJson.Next(source, valueEnd, (byte)'}', out more);
            if (at < 0)
            {
                return false;
            }
        }

        _eventEnd = end = at;
        return true;
    }

    /// <summary>The event's <c>kind</c> when it is a string other than <c>Event</c> (a <c>List</c> may hold anything); else null.</summary>
    internal string? OtherKind(ReadOnlySpan<byte> source) =>
        _kind.Type == JsonTokenType.String && !_kind.TextEquals(source, "Event"u8) ? _kind.GetString(source) : null;

    /// <summary>Whether the event's <c>type</c> is <c>Warning</c>.</summary>
    internal bool IsWarning(ReadOnlySpan<byte> source) => _type.Type == JsonTokenType.String && _type.TextEquals(source, "Warning"u8);

    /// <summary>The event's <c>reason</c> as its raw JSON value; empty when the event has none.</summary>
    internal ReadOnlySpan<byte> RawReason(ReadOnlySpan<byte> source) => _reason.Type == JsonTokenType.None ? default : source[_reason.Start.._reason.End];

    /// <summary>Builds the bulk item for the event <see cref="Scan"/> read last from <paramref name="source"/>.</summary>
    internal BulkItem? Build(ReadOnlySpan<byte> source, string clusterName, ArrayBufferWriter<byte> output, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_metadata.Type != JsonTokenType.StartObject)
        {
            problem = "the event has no metadata object";
            return null;
        }

        if (_uid.Type != JsonTokenType.String || _uid.GetString(source) is not { Length: > 0 } uid)
        {
            problem = "the event has no metadata.uid, which is its document id";
            return null;
        }

        var creation = _creation;
        var occurred = _eventTime;
        var seriesLast = _seriesLast;

        // Scheduler and other events.k8s.io-style events carry only eventTime (and series for repeats);
        // the dashboards key on lastTimestamp, so fill both from what the event has. For a series, the
        // last observation is when the event was last seen.
        var firstFill = occurred ?? seriesLast ?? creation;
        var lastFill = seriesLast ?? occurred ?? creation;
        var lastSeen = _last ?? lastFill;
        var day = creation ?? lastSeen ?? _first;
        if (day is null)
        {
            problem = "the event has no usable time: metadata.creationTimestamp, lastTimestamp, eventTime and series.lastObservedTime are all missing or not RFC 3339";
            return null;
        }

        long? version = _version.Type == JsonTokenType.String
            && source[_version.Start.._version.End] is var rawVersion && rawVersion.Length > 2
            && System.Buffers.Text.Utf8Parser.TryParse(rawVersion[1..^1], out long parsed, out var consumed) && consumed == rawVersion.Length - 2 && parsed >= 0
                ? parsed
                : null;

        var start = output.WrittenCount;
        WriteDocument(source, firstFill, lastFill, output);
        if (!string.Equals(clusterName, _lastCluster, StringComparison.Ordinal))
        {
            // All events of a message share it: encode it once.
            _lastCluster = clusterName;
            _lastClusterEncoded = JsonEncodedText.Encode(clusterName, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }

        _writer.WriteString(ClusterNameProperty, _lastClusterEncoded);
        if (lastSeen is { } seen)
        {
            _writer.WritePropertyName(TimestampProperty);
            _writer.WriteRawValue(source[seen.Start..seen.End], skipInputValidation: true);
        }

        if (_involvedObject.Type == JsonTokenType.StartObject)
        {
            InvolvedObjectBlock.Write(_writer, _objectKind.Text(source), _objectApiVersion.Text(source), _objectNamespace.Text(source), _objectName.Text(source), _objectUid.Text(source));
        }
        else
        {
            ObjectBlock.WriteOrigin(_writer, ObjectBlock.EventOrigin);
        }

        _writer.WriteEndObject();
        _writer.Flush();

        problem = null;
        var date = DateOnly.FromDateTime(day.Value.Value.UtcDateTime);
        if (date != _lastDate)
        {
            // Events of a batch mostly share a creation day: name its index once.
            _lastDate = date;
            _lastIndex = DailyIndex.Name(IndexPrefix, date);
        }

        var index = _lastIndex!;
        return new BulkItem(index, uid, output.WrittenMemory[start..]) { ExternalVersion = version };
    }

    private void ScanMetadata(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("uid"u8))
            {
                reader.Read();
                _uid = Token.At(ref reader);
            }
            else if (reader.ValueTextEquals("creationTimestamp"u8))
            {
                reader.Read();
                _creation = Time(ref reader);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                reader.Read();
                _version = Token.At(ref reader);
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }
    }

    private void ScanInvolvedObject(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("kind"u8) ? 1
                : reader.ValueTextEquals("apiVersion"u8) ? 2
                : reader.ValueTextEquals("namespace"u8) ? 3
                : reader.ValueTextEquals("name"u8) ? 4
                : reader.ValueTextEquals("uid"u8) ? 5
                : 0;
            reader.Read();
            if (field != 0 && reader.TokenType == JsonTokenType.String)
            {
                // Only a string names the object; a member of another type leaves an earlier string in place.
                var text = Token.At(ref reader);
                switch (field)
                {
                    case 1: _objectKind = text; break;
                    case 2: _objectApiVersion = text; break;
                    case 3: _objectNamespace = text; break;
                    case 4: _objectName = text; break;
                    default: _objectUid = text; break;
                }
            }

            reader.Skip();
        }
    }

    private void ScanSeries(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var observed = reader.ValueTextEquals("lastObservedTime"u8);
            reader.Read();
            if (observed)
            {
                _seriesLast = Time(ref reader);
            }

            reader.Skip();
        }
    }

    /// <summary>
    /// <see cref="ScanMetadata"/>, <see cref="ScanInvolvedObject"/> or <see cref="ScanSeries"/> (as
    /// <paramref name="which"/> says) for <see cref="TryScanFast"/>: the object at <paramref name="at"/>,
    /// nested <paramref name="depth"/> deep. The position after it, or -1 when <see cref="FastJson"/> gives up.
    /// </summary>
    private int ScanObjectFast(ReadOnlySpan<byte> source, int at, int depth, Member which)
    {
        if (depth > FastJson.MaxDepth)
        {
            return -1;
        }

        at = FastJson.WhiteSpace(source, at + 1);
        if (FastJson.Is(source, at, (byte)'}'))
        {
            return at + 1;
        }

        while (true)
        {
            var nameStart = at;
            if (!FastJson.Is(source, at, (byte)'"') || (at = FastJson.String(source, at, out var escaped)) < 0 || escaped)
            {
                return -1;
            }

            var name = source[(nameStart + 1)..(at - 1)];
            var valueStart = FastJson.Colon(source, at);
            var valueEscaped = false;
            var valueEnd = valueStart < 0 ? -1 : FastValue(source, valueStart, depth, out valueEscaped);
            if (valueEnd < 0)
            {
                return -1;
            }

            if (which == Member.Metadata)
            {
                if (name.SequenceEqual("uid"u8))
                {
                    _uid = FastToken(source, valueStart, valueEnd, valueEscaped);
                }
                else if (name.SequenceEqual("creationTimestamp"u8))
                {
                    _creation = FastTime(source, valueStart, valueEnd);
                }
                else if (name.SequenceEqual("resourceVersion"u8))
                {
                    _version = FastToken(source, valueStart, valueEnd, valueEscaped);
                }
            }
            else if (which == Member.InvolvedObject)
            {
                // Only a string names the object; a member of another type leaves an earlier string in place.
                if (source[valueStart] == '"')
                {
                    var text = FastToken(source, valueStart, valueEnd, valueEscaped);
                    switch (name.Length)
                    {
                        case 4 when name.SequenceEqual("kind"u8): _objectKind = text; break;
                        case 10 when name.SequenceEqual("apiVersion"u8): _objectApiVersion = text; break;
                        case 9 when name.SequenceEqual("namespace"u8): _objectNamespace = text; break;
                        case 4 when name.SequenceEqual("name"u8): _objectName = text; break;
                        case 3 when name.SequenceEqual("uid"u8): _objectUid = text; break;
                    }
                }
            }
            else if (name.SequenceEqual("lastObservedTime"u8))
            {
                _seriesLast = FastTime(source, valueStart, valueEnd);
            }

            at = FastJson.Next(source, valueEnd, (byte)'}', out var more);
            if (at < 0 || !more)
            {
                return at;
            }
        }
    }

    /// <summary>A value for <see cref="TryScanFast"/>; <paramref name="escaped"/> when it is a string with escapes.</summary>
    private static int FastValue(ReadOnlySpan<byte> source, int at, int depth, out bool escaped)
    {
        escaped = false;
        return FastJson.Is(source, at, (byte)'"') ? FastJson.String(source, at, out escaped) : FastJson.Value(source, at, depth);
    }

    /// <summary>What <see cref="Token.At"/> notes for the valid value from <paramref name="start"/> to <paramref name="end"/>.</summary>
    private static Token FastToken(ReadOnlySpan<byte> source, int start, int end, bool escaped)
    {
        var type = FastJson.TypeOf(source[start]);
        return type switch
        {
            JsonTokenType.String => new Token(type, start, end, escaped),
            JsonTokenType.StartObject or JsonTokenType.StartArray => new Token(type, start, start + 1, false),
            _ => new Token(type, start, end, false),
        };
    }

    /// <summary>What <see cref="Time"/> reads from the valid value from <paramref name="start"/> to <paramref name="end"/>.</summary>
    private static EventTime? FastTime(ReadOnlySpan<byte> source, int start, int end)
    {
        if (source[start] != '"')
        {
            return null;
        }

        if (end - start == 22 && UtcSeconds(source[(start + 1)..(end - 1)]) is { } utc)
        {
            return new EventTime(start, end, utc);
        }

        var reader = new Utf8JsonReader(source[start..end], ReaderOptions);
        reader.Read();
        return Time(ref reader) is { } time ? time with { Start = start, End = end } : null;
    }

    /// <summary>
    /// A time in the form the API server writes a <c>metav1.Time</c> (<c>2024-06-01T08:00:00Z</c>), read as
    /// <see cref="Utf8JsonReader.TryGetDateTimeOffset"/> reads it; null for any other text, which is left to the reader.
    /// </summary>
    private static DateTimeOffset? UtcSeconds(ReadOnlySpan<byte> text)
    {
        if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
        {
            return null;
        }

        int century = TwoDigits(text, 0), yearOfCentury = TwoDigits(text, 2), month = TwoDigits(text, 5), day = TwoDigits(text, 8);
        int hour = TwoDigits(text, 11), minute = TwoDigits(text, 14), second = TwoDigits(text, 17);
        var year = (century * 100) + yearOfCentury;
        return century >= 0 && yearOfCentury >= 0 && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour is >= 0 and <= 23 && minute is >= 0 and <= 59 && second is >= 0 and <= 59
                ? new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero)
                : null;
    }

    /// <summary>The number the two ASCII digits at <paramref name="at"/> make; negative when one is not a digit.</summary>
    private static int TwoDigits(ReadOnlySpan<byte> text, int at)
    {
        uint tens = text[at] - (uint)'0', ones = text[at + 1] - (uint)'0';
        return tens <= 9 && ones <= 9 ? (int)((tens * 10) + ones) : -1;
    }

    private void Reset(int eventStart)
    {
        _eventStart = eventStart;
        _memberCount = 0;
        _metadata = _uid = _version = _involvedObject = _kind = _type = _reason = default;
        _objectKind = _objectApiVersion = _objectNamespace = _objectName = _objectUid = default;
        _creation = _first = _last = _eventTime = _seriesLast = null;
    }

    private void Add(in Entry entry)
    {
        if (_memberCount == _members.Length)
        {
            Array.Resize(ref _members, _members.Length * 2);
        }

        _members[_memberCount++] = entry;
    }

    /// <summary>The event's members, with the timestamps filled; the object is left open for ours.</summary>
    private void WriteDocument(ReadOnlySpan<byte> source, EventTime? firstFill, EventTime? lastFill, ArrayBufferWriter<byte> output)
    {
        // Most events need no member changed. Then consecutive members that stay as they are (all but
        // a null timestamp and our own members) are copied as one run of bytes.
        var verbatim = NeedsNoRewrite(source[_eventStart.._eventEnd]);
        int runStart = -1, runEnd = -1;

        _writer.Reset(output);
        _writer.WriteStartObject();
        bool hasFirst = false, hasLast = false;
        foreach (ref readonly var entry in _members.AsSpan(0, _memberCount))
        {
            var member = entry.Member;
            hasFirst |= member == Member.FirstTimestamp;
            hasLast |= member == Member.LastTimestamp;
            if (verbatim && member is not (Member.Ours or Member.Labels or Member.Annotations)
                && (member is not (Member.FirstTimestamp or Member.LastTimestamp) || entry.Type == JsonTokenType.String))
            {
                // From the name's opening quote to the end of the value.
                runStart = runStart < 0 ? entry.NameStart : runStart;
                runEnd = entry.ValueEnd;
                continue;
            }

            if (runStart >= 0)
            {
                _writer.WriteRawValue(source[runStart..runEnd], skipInputValidation: true);
                runStart = -1;
            }

            var value = source[entry.ValueStart..entry.ValueEnd];
            switch (member)
            {
                case Member.Metadata when entry.Type != JsonTokenType.StartObject:
                    // An earlier copy of a repeated metadata (the last one is an object, or there is no document).
                    WriteName(source[entry.NameStart..entry.NameEnd]);
                    WriteValue(value, labelsOrAnnotations: false);
                    break;
                case Member.Metadata:
                    WriteName(source[entry.NameStart..entry.NameEnd]);
                    if (value.IndexOf("\"managedFields\""u8) < 0 && value.IndexOf("\"labels\""u8) < 0 && value.IndexOf("\"annotations\""u8) < 0 && !HasLayout(value))
                    {
                        _writer.WriteRawValue(value, skipInputValidation: true); // nothing to drop or de-dot
                    }
                    else
                    {
                        WriteObject(value, dedotKeys: false, dropManagedFields: true);
                    }

                    break;
                case Member.FirstTimestamp:
                    WriteTime(FirstTimestampProperty, entry.Type == JsonTokenType.String ? value : default, firstFill, source);
                    break;
                case Member.LastTimestamp:
                    WriteTime(LastTimestampProperty, entry.Type == JsonTokenType.String ? value : default, lastFill, source);
                    break;
                case Member.Ours:
                    break; // ours win: a re-fed exported document must not carry two
                default:
                    WriteName(source[entry.NameStart..entry.NameEnd]);
                    WriteValue(value, labelsOrAnnotations: member is Member.Labels or Member.Annotations);
                    break;
            }
        }

        if (runStart >= 0)
        {
            _writer.WriteRawValue(source[runStart..runEnd], skipInputValidation: true);
        }

        if (!hasFirst)
        {
            WriteTime(FirstTimestampProperty, default, firstFill, source);
        }

        if (!hasLast)
        {
            WriteTime(LastTimestampProperty, default, lastFill, source);
        }
    }

    /// <summary>
    /// Whether every member but the timestamps and ours can be copied as it is: no layout (a line break
    /// in a pretty-printed event would split the NDJSON line) and no key whose map changes.
    /// </summary>
    private static bool NeedsNoRewrite(ReadOnlySpan<byte> raw)
    {
        // One pass looks for both: a byte below 0x20 is layout, and the three keys end in s", which is rare
        // in an event, so only where it occurs are the names compared.
        ref var first = ref MemoryMarshal.GetReference(raw);
        var at = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; at + Vector128<byte>.Count < raw.Length; at += Vector128<byte>.Count)
            {
                var block = Vector128.LoadUnsafe(ref first, (nuint)at);
                var next = Vector128.LoadUnsafe(ref first, (nuint)(at + 1));
                var special = Vector128.LessThan(block, Vector128.Create((byte)0x20))
                    | (Vector128.Equals(block, Vector128.Create((byte)'s')) & Vector128.Equals(next, Vector128.Create((byte)'"')));
                for (var mask = special.ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                {
                    if (!NoRewriteAt(raw, at + BitOperations.TrailingZeroCount(mask)))
                    {
                        return false;
                    }
                }
            }
        }

        for (; at < raw.Length; at++)
        {
            if ((raw[at] < 0x20 || (raw[at] == 's' && at + 1 < raw.Length && raw[at + 1] == '"')) && !NoRewriteAt(raw, at))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>For <see cref="NeedsNoRewrite"/>: false when the byte at <paramref name="at"/> is layout or ends a key whose map changes.</summary>
    private static bool NoRewriteAt(ReadOnlySpan<byte> raw, int at)
    {
        if (raw[at] < 0x20)
        {
            return false;
        }

        var upTo = raw[..(at + 2)];
        return !(upTo.EndsWith("\"labels\""u8) || upTo.EndsWith("\"annotations\""u8) || upTo.EndsWith("\"managedFields\""u8));
    }

    /// <summary>
    /// Whether read JSON holds a byte below 0x20. Inside a string such a byte is invalid JSON (the
    /// reader refused it), so here it is layout between tokens: LF, CR or a tab. Raw copies must not
    /// carry it: every document of a <c>_bulk</c> body is one line (the body would compact it anyway,
    /// on its slow path).
    /// </summary>
    private static bool HasLayout(ReadOnlySpan<byte> raw) => raw.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0;

    private static Member Classify(ref Utf8JsonReader reader) =>
        // A name written with escapes (legal JSON, never seen from the API server) is compared unescaped.
        Classify(reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan);

    private static Member Classify(ReadOnlySpan<byte> name) =>
        name.Length switch
        {
            4 when name.SequenceEqual("kind"u8) => Member.Kind,
            4 when name.SequenceEqual("type"u8) => Member.Type,
            6 when name.SequenceEqual("reason"u8) => Member.Reason,
            6 when name.SequenceEqual("series"u8) => Member.Series,
            6 when name.SequenceEqual("labels"u8) => Member.Labels,
            6 when name.SequenceEqual("object"u8) => Member.Ours,
            6 when name.SequenceEqual("origin"u8) => Member.Ours,
            8 when name.SequenceEqual("metadata"u8) => Member.Metadata,
            9 when name.SequenceEqual("eventTime"u8) => Member.EventTime,
            10 when name.SequenceEqual("@timestamp"u8) => Member.Ours,
            11 when name.SequenceEqual("clusterName"u8) => Member.Ours,
            11 when name.SequenceEqual("annotations"u8) => Member.Annotations,
            13 when name.SequenceEqual("lastTimestamp"u8) => Member.LastTimestamp,
            14 when name.SequenceEqual("firstTimestamp"u8) => Member.FirstTimestamp,
            14 when name.SequenceEqual("involvedObject"u8) => Member.InvolvedObject,
            _ => Member.Other,
        };

    private static EventTime? Time(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var parsed)
            ? new EventTime((int)reader.TokenStartIndex, (int)reader.TokenStartIndex + reader.ValueSpan.Length + 2, parsed)
            : null;

    /// <summary>A timestamp member: the string as the event wrote it (written again unescaped, as a parsed document writes it), else the fill, else null.</summary>
    private void WriteTime(JsonEncodedText name, ReadOnlySpan<byte> text, EventTime? fill, ReadOnlySpan<byte> source)
    {
        if (!text.IsEmpty)
        {
            _writer.WritePropertyName(name);
            WriteCompact(text);
        }
        else if (fill is { } f)
        {
            _writer.WritePropertyName(name);
            _writer.WriteRawValue(source[f.Start..f.End], skipInputValidation: true);
        }
        else
        {
            _writer.WriteNull(name);
        }
    }

    /// <summary>Writes one value: copied as it is unless it holds a labels or annotations map or layout.</summary>
    private void WriteValue(ReadOnlySpan<byte> raw, bool labelsOrAnnotations)
    {
        // Most of an event needs no change: copy its bytes as they are. Only an object that holds a
        // labels or annotations map somewhere inside is rewritten, member by member.
        if (raw[0] == '{'
            && (labelsOrAnnotations || raw.IndexOf("\"labels\""u8) >= 0 || raw.IndexOf("\"annotations\""u8) >= 0))
        {
            WriteObject(raw, dedotKeys: labelsOrAnnotations, dropManagedFields: false);
        }
        else if (raw[0] == '[' && (raw.IndexOf("\"labels\""u8) >= 0 || raw.IndexOf("\"annotations\""u8) >= 0))
        {
            _writer.WriteStartArray();
            var reader = new Utf8JsonReader(raw, ReaderOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                WriteValue(raw[start..(int)reader.BytesConsumed], labelsOrAnnotations: false);
            }

            _writer.WriteEndArray();
        }
        else if (HasLayout(raw))
        {
            // Pretty-printed input (kubectl -o json): a line break outside a string would split the
            // NDJSON line, so this value is written anew, compact.
            WriteCompact(raw);
        }
        else
        {
            _writer.WriteRawValue(raw, skipInputValidation: true);
        }
    }

    private void WriteObject(ReadOnlySpan<byte> raw, bool dedotKeys, bool dropManagedFields)
    {
        var reader = new Utf8JsonReader(raw, ReaderOptions);
        reader.Read();
        _writer.WriteStartObject();
        HashSet<string>? written = dedotKeys ? new HashSet<string>(StringComparer.Ordinal) : null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = raw[(int)reader.TokenStartIndex..((int)reader.TokenStartIndex + reader.ValueSpan.Length + 2)];
            if (dropManagedFields && reader.ValueTextEquals("managedFields"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            string? dedotted = null;
            var labelsOrAnnotations = false;
            if (written is not null)
            {
                dedotted = reader.GetString()!.Replace('.', '_');
                // "a.b" and "a_b" in one map would become the same key, and OpenSearch refuses a
                // document with a duplicate field: keep both, the later one with a suffix.
                while (!written.Add(dedotted))
                {
                    dedotted += "_";
                }
            }
            else
            {
                labelsOrAnnotations = reader.ValueTextEquals("labels"u8) || reader.ValueTextEquals("annotations"u8);
            }

            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            var value = raw[valueStart..(int)reader.BytesConsumed];
            if (dedotted is not null)
            {
                _writer.WritePropertyName(dedotted);
            }
            else
            {
                WriteName(name);
            }

            WriteValue(value, labelsOrAnnotations);
        }

        _writer.WriteEndObject();
    }

    /// <summary>Writes a member name from its token as the input wrote it, quotes included.</summary>
    private void WriteName(ReadOnlySpan<byte> token)
    {
        var raw = token[1..^1];
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            // Escaped in the input: let the writer escape it again.
            var reader = new Utf8JsonReader(token, ReaderOptions);
            reader.Read();
            _writer.WritePropertyName(reader.GetString()!);
        }
        else
        {
            _writer.WritePropertyName(raw);
        }
    }

    /// <summary>
    /// Writes a value anew, token by token (strings and names unescaped and escaped again by the writer),
    /// as a parsed document writes itself: for layout that must go, and for the timestamps a rewritten event keeps.
    /// </summary>
    private void WriteCompact(ReadOnlySpan<byte> raw)
    {
        var reader = new Utf8JsonReader(raw, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject: _writer.WriteStartObject(); break;
                case JsonTokenType.EndObject: _writer.WriteEndObject(); break;
                case JsonTokenType.StartArray: _writer.WriteStartArray(); break;
                case JsonTokenType.EndArray: _writer.WriteEndArray(); break;
                case JsonTokenType.PropertyName: _writer.WritePropertyName(Unescaped(ref reader)); break;
                case JsonTokenType.String: _writer.WriteStringValue(Unescaped(ref reader)); break;
                case JsonTokenType.Number: _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                case JsonTokenType.True: _writer.WriteBooleanValue(true); break;
                case JsonTokenType.False: _writer.WriteBooleanValue(false); break;
                default: _writer.WriteNullValue(); break;
            }
        }
    }

    /// <summary>A string or name token's text, unescaped into a buffer of the builder's when the input escaped it.</summary>
    private ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        if (_unescaped.Length < reader.ValueSpan.Length)
        {
            _unescaped = new byte[Math.Max(reader.ValueSpan.Length, 2 * _unescaped.Length)];
        }

        return _unescaped.AsSpan(0, reader.CopyString(_unescaped));
    }

    /// <summary>One member of the event: what it is, where its name and value lie, and the value's first token.</summary>
    private readonly record struct Entry(Member Member, int NameStart, int NameEnd, int ValueStart, int ValueEnd, JsonTokenType Type);

    /// <summary>A timestamp: where the event wrote it (its bytes are copied as they are) and the point in time.</summary>
    private readonly record struct EventTime(int Start, int End, DateTimeOffset Value);

    /// <summary>A value's first token and, for a string, where it lies, quotes included; <see cref="JsonTokenType.None"/> when absent.</summary>
    private readonly record struct Token(JsonTokenType Type, int Start, int End, bool Escaped)
    {
        public static Token At(ref Utf8JsonReader reader) => new(
            reader.TokenType,
            (int)reader.TokenStartIndex,
            reader.TokenType is JsonTokenType.String ? (int)reader.TokenStartIndex + reader.ValueSpan.Length + 2 : (int)reader.BytesConsumed,
            reader.ValueIsEscaped);

        /// <summary>The string's text, read in place unless the input escaped it; empty when absent.</summary>
        public ReadOnlySpan<byte> Text(ReadOnlySpan<byte> source) =>
            Type != JsonTokenType.String ? default
            : Escaped ? System.Text.Encoding.UTF8.GetBytes(GetString(source))
            : source[(Start + 1)..(End - 1)];

        public string GetString(ReadOnlySpan<byte> source)
        {
            if (!Escaped)
            {
                return StrictUtf8.GetString(source[(Start + 1)..(End - 1)]); // as the reader would, without one
            }

            var reader = new Utf8JsonReader(source[Start..End], ReaderOptions);
            reader.Read();
            return reader.GetString()!;
        }

        public bool TextEquals(ReadOnlySpan<byte> source, ReadOnlySpan<byte> text)
        {
            if (!Escaped)
            {
                return source[(Start + 1)..(End - 1)].SequenceEqual(text);
            }

            var reader = new Utf8JsonReader(source[Start..End], ReaderOptions);
            reader.Read();
            return reader.ValueTextEquals(text);
        }
    }
}
