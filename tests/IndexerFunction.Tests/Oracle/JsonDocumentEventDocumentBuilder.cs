using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Shared.Contract.Indices;
using Shared.OpenSearch;

// The indexer's JsonDocument-based reading and building as they were before the streaming pass replaced them
// (issue 15), kept unchanged but for names as the oracle of the differential tests. Not product code.
namespace IndexerFunction.Tests.Oracle;

/// <summary>
/// Turns a core/v1 Event into the document the event indices hold (docs/contract.md, "Kubernetes event
/// documents"), written straight into the batch's byte buffer:
/// the event as the API served it, less <c>metadata.managedFields</c>; dots replaced by underscores in
/// the keys of every <c>labels</c> and <c>annotations</c> map (a key like <c>app.kubernetes.io/name</c>
/// would otherwise become an object path and clash with <c>app</c>); <c>firstTimestamp</c> and
/// <c>lastTimestamp</c> filled when null; <c>clusterName</c>, <c>@timestamp</c>, and the <c>object</c> block
/// and <c>origin</c> both indices share (<see cref="JsonDocumentInvolvedObjectBlock"/>) added.
/// </summary>
public sealed class JsonDocumentEventDocumentBuilder(string indexPrefix)
{
    private static readonly JsonEncodedText ClusterNameProperty = JsonEncodedText.Encode("clusterName");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("@timestamp");
    private static readonly JsonEncodedText FirstTimestampProperty = JsonEncodedText.Encode("firstTimestamp");
    private static readonly JsonEncodedText LastTimestampProperty = JsonEncodedText.Encode("lastTimestamp");

    // SkipValidation also lets a run of members copied as one raw value sit inside an object: the writer
    // puts the comma before it and after it as it would around a single value.
    private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions
    {
        SkipValidation = true,
        // Documents go to OpenSearch, not into HTML: keep non-ASCII text as UTF-8 instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private DateOnly _lastDate = DateOnly.MinValue;
    private string? _lastIndex;
    private string? _lastCluster;
    private JsonEncodedText _lastClusterEncoded;

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
        Ours, // clusterName, @timestamp, object, origin
    }

    /// <summary>The index prefix (EVENTS_INDEX).</summary>
    public string IndexPrefix { get; } = indexPrefix;

    /// <summary>Builds the bulk item for one event, appending its source to <paramref name="output"/>.</summary>
    /// <param name="problem">Why the event cannot be indexed, naming the field at fault.</param>
    /// <returns>The item, or null when <paramref name="problem"/> says why not.</returns>
    public BulkItem? TryBuild(JsonElement evt, string clusterName, ArrayBufferWriter<byte> output, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(output);

        // One pass over the members finds the few the document depends on; a repeated member counts
        // at its last occurrence, as a lookup by name would find it.
        JsonElement metadata = default, first = default, last = default, eventTime = default, series = default, involvedObject = default;
        foreach (var property in evt.EnumerateObject())
        {
            switch (Classify(property))
            {
                case Member.Metadata: metadata = property.Value; break;
                case Member.InvolvedObject: involvedObject = property.Value; break;
                case Member.FirstTimestamp: first = property.Value; break;
                case Member.LastTimestamp: last = property.Value; break;
                case Member.EventTime: eventTime = property.Value; break;
                case Member.Series: series = property.Value; break;
            }
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            problem = "the event has no metadata object";
            return null;
        }

        JsonElement uidElement = default, creationElement = default, versionElement = default;
        foreach (var property in metadata.EnumerateObject())
        {
            var name = Name(property);
            if (name.SequenceEqual("uid"u8))
            {
                uidElement = property.Value;
            }
            else if (name.SequenceEqual("creationTimestamp"u8))
            {
                creationElement = property.Value;
            }
            else if (name.SequenceEqual("resourceVersion"u8))
            {
                versionElement = property.Value;
            }
        }

        if (uidElement.ValueKind != JsonValueKind.String || uidElement.GetString() is not { Length: > 0 } uid)
        {
            problem = "the event has no metadata.uid, which is its document id";
            return null;
        }

        var creation = Time(creationElement);
        var occurred = Time(eventTime);
        var seriesLast = series.ValueKind == JsonValueKind.Object && series.TryGetProperty("lastObservedTime", out var observed) ? Time(observed) : null;

        // Scheduler and other events.k8s.io-style events carry only eventTime (and series for repeats);
        // the dashboards key on lastTimestamp, so fill both from what the event has. For a series, the
        // last observation is when the event was last seen.
        var firstFill = occurred ?? seriesLast ?? creation;
        var lastFill = seriesLast ?? occurred ?? creation;
        var lastSeen = Time(last) ?? lastFill;
        var day = creation ?? lastSeen ?? Time(first);
        if (day is null)
        {
            problem = "the event has no usable time: metadata.creationTimestamp, lastTimestamp, eventTime and series.lastObservedTime are all missing or not RFC 3339";
            return null;
        }

        long? version = versionElement.ValueKind == JsonValueKind.String
            && JsonMarshal.GetRawUtf8Value(versionElement) is var rawVersion && rawVersion.Length > 2
            && System.Buffers.Text.Utf8Parser.TryParse(rawVersion[1..^1], out long parsed, out var consumed) && consumed == rawVersion.Length - 2 && parsed >= 0
                ? parsed
                : null;

        var start = output.WrittenCount;
        WriteDocument(evt, firstFill, lastFill, output);
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
            _writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(seen.Text), skipInputValidation: true);
        }

        JsonDocumentInvolvedObjectBlock.Write(_writer, involvedObject);
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

    /// <summary>The event's members, with the timestamps filled; the object is left open for ours.</summary>
    private void WriteDocument(JsonElement evt, EventTime? firstFill, EventTime? lastFill, ArrayBufferWriter<byte> output)
    {
        // Most events need no member changed. Then consecutive members that stay as they are (all but
        // a null timestamp and our own members) are copied as one run of bytes.
        var raw = JsonMarshal.GetRawUtf8Value(evt);
        var verbatim = NeedsNoRewrite(raw);
        int runStart = -1, runEnd = -1;

        _writer.Reset(output);
        _writer.WriteStartObject();
        bool hasFirst = false, hasLast = false;
        foreach (var property in evt.EnumerateObject())
        {
            var member = Classify(property);
            hasFirst |= member == Member.FirstTimestamp;
            hasLast |= member == Member.LastTimestamp;
            if (verbatim && member is not (Member.Ours or Member.Labels or Member.Annotations)
                && (member is not (Member.FirstTimestamp or Member.LastTimestamp) || property.Value.ValueKind == JsonValueKind.String))
            {
                // From the name's opening quote to the end of the value; the spans all point into the event.
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                var value = JsonMarshal.GetRawUtf8Value(property.Value);
                runStart = runStart < 0 ? Offset(raw, name) - 1 : runStart;
                runEnd = Offset(raw, value) + value.Length;
                continue;
            }

            if (runStart >= 0)
            {
                _writer.WriteRawValue(raw[runStart..runEnd], skipInputValidation: true);
                runStart = -1;
            }

            switch (member)
            {
                case Member.Metadata:
                    WriteName(property);
                    var metadata = JsonMarshal.GetRawUtf8Value(property.Value);
                    if (metadata.IndexOf("\"managedFields\""u8) < 0 && metadata.IndexOf("\"labels\""u8) < 0 && metadata.IndexOf("\"annotations\""u8) < 0 && !HasLayout(metadata))
                    {
                        _writer.WriteRawValue(metadata, skipInputValidation: true); // nothing to drop or de-dot
                    }
                    else
                    {
                        WriteObject(property.Value, dedotKeys: false, dropManagedFields: true);
                    }

                    break;
                case Member.FirstTimestamp:
                    WriteTime(FirstTimestampProperty, property.Value, firstFill);
                    break;
                case Member.LastTimestamp:
                    WriteTime(LastTimestampProperty, property.Value, lastFill);
                    break;
                case Member.Ours:
                    break; // ours win: a re-fed exported document must not carry two
                default:
                    WriteName(property);
                    WriteValue(property.Value, member switch { Member.Labels => "labels", Member.Annotations => "annotations", _ => string.Empty });
                    break;
            }
        }

        if (runStart >= 0)
        {
            _writer.WriteRawValue(raw[runStart..runEnd], skipInputValidation: true);
        }

        if (!hasFirst)
        {
            WriteTime(FirstTimestampProperty, default, firstFill);
        }

        if (!hasLast)
        {
            WriteTime(LastTimestampProperty, default, lastFill);
        }
    }

    /// <summary>
    /// Whether every member but the timestamps and ours can be copied as it is: no layout (a line break
    /// in a pretty-printed event would split the NDJSON line) and no key whose map changes.
    /// </summary>
    private static bool NeedsNoRewrite(ReadOnlySpan<byte> raw)
    {
        if (HasLayout(raw))
        {
            return false;
        }

        // The three keys end in s", which is rare in an event: look only where it occurs.
        var end = 0;
        while (raw[end..].IndexOf("s\""u8) is var at and >= 0)
        {
            end += at + 2;
            var upTo = raw[..end];
            if (upTo.EndsWith("\"labels\""u8) || upTo.EndsWith("\"annotations\""u8) || upTo.EndsWith("\"managedFields\""u8))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether parsed JSON holds a byte below 0x20. Inside a string such a byte is invalid JSON (the
    /// parser refused it), so here it is layout between tokens: LF, CR or a tab. Raw copies must not
    /// carry it: every document of a <c>_bulk</c> body is one line (the body would compact it anyway,
    /// on its slow path).
    /// </summary>
    private static bool HasLayout(ReadOnlySpan<byte> raw) => raw.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0;

    private static Member Classify(JsonProperty property)
    {
        var name = Name(property);
        return name.Length switch
        {
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
    }

    /// <summary>
    /// A member's name as UTF-8, without copying it unless it was written with escapes (legal JSON,
    /// never seen from the API server).
    /// </summary>
    private static ReadOnlySpan<byte> Name(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.Contains((byte)'\\') ? System.Text.Encoding.UTF8.GetBytes(property.Name) : raw;
    }

    /// <summary>Where <paramref name="part"/>, a span inside <paramref name="whole"/>, starts in it.</summary>
    private static int Offset(ReadOnlySpan<byte> whole, ReadOnlySpan<byte> part) =>
        (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(whole), ref MemoryMarshal.GetReference(part));

    private void WriteTime(JsonEncodedText name, JsonElement value, EventTime? fill)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            _writer.WritePropertyName(name);
            value.WriteTo(_writer);
        }
        else if (fill is { } f)
        {
            _writer.WritePropertyName(name);
            _writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(f.Text), skipInputValidation: true);
        }
        else
        {
            _writer.WriteNull(name);
        }
    }

    private void WriteValue(JsonElement value, string propertyName)
    {
        // Most of an event needs no change: copy its bytes as they are. Only an object that holds a
        // labels or annotations map somewhere inside is rewritten, member by member.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (value.ValueKind == JsonValueKind.Object
            && (propertyName is "labels" or "annotations" || raw.IndexOf("\"labels\""u8) >= 0 || raw.IndexOf("\"annotations\""u8) >= 0))
        {
            WriteObject(value, dedotKeys: propertyName is "labels" or "annotations", dropManagedFields: false);
        }
        else if (value.ValueKind == JsonValueKind.Array && (raw.IndexOf("\"labels\""u8) >= 0 || raw.IndexOf("\"annotations\""u8) >= 0))
        {
            _writer.WriteStartArray();
            foreach (var item in value.EnumerateArray())
            {
                WriteValue(item, string.Empty);
            }

            _writer.WriteEndArray();
        }
        else if (HasLayout(raw))
        {
            // Pretty-printed input (kubectl -o json): a line break outside a string would split the
            // NDJSON line, so this value is written anew, compact.
            value.WriteTo(_writer);
        }
        else
        {
            _writer.WriteRawValue(raw, skipInputValidation: true);
        }
    }

    private void WriteObject(JsonElement value, bool dedotKeys, bool dropManagedFields)
    {
        _writer.WriteStartObject();
        HashSet<string>? written = dedotKeys ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var property in value.EnumerateObject())
        {
            if (dropManagedFields && property.NameEquals("managedFields"u8))
            {
                continue;
            }

            if (written is not null)
            {
                var name = property.Name.Replace('.', '_');
                // "a.b" and "a_b" in one map would become the same key, and OpenSearch refuses a
                // document with a duplicate field: keep both, the later one with a suffix.
                while (!written.Add(name))
                {
                    name += "_";
                }

                _writer.WritePropertyName(name);
                WriteValue(property.Value, string.Empty);
                continue;
            }

            WriteName(property);
            WriteValue(property.Value, property.NameEquals("labels"u8) ? "labels" : property.NameEquals("annotations"u8) ? "annotations" : string.Empty);
        }

        _writer.WriteEndObject();
    }

    private void WriteName(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            _writer.WritePropertyName(property.Name); // escaped in the input: let the writer escape it again
        }
        else
        {
            _writer.WritePropertyName(raw);
        }
    }

    private static EventTime? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var parsed)
            ? new EventTime(value, parsed)
            : null;

    /// <summary>A timestamp as the event wrote it (its bytes are copied as they are) and as a point in time.</summary>
    private readonly record struct EventTime(JsonElement Text, DateTimeOffset Value);
}
