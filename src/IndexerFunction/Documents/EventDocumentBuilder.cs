using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Functions.Core.OpenSearch;

namespace IndexerFunction.Documents;

/// <summary>
/// Turns a core/v1 Event into the document the event indices hold (docs/contract.md, "Kubernetes event
/// documents"), written straight into the batch's byte buffer:
/// the event as the API served it, less <c>metadata.managedFields</c>; dots replaced by underscores in
/// the keys of every <c>labels</c> and <c>annotations</c> map (a key like <c>app.kubernetes.io/name</c>
/// would otherwise become an object path and clash with <c>app</c>); <c>firstTimestamp</c> and
/// <c>lastTimestamp</c> filled when null; <c>clusterName</c> and <c>@timestamp</c> added.
/// </summary>
public sealed class EventDocumentBuilder(string indexPrefix)
{
    private static readonly JsonEncodedText ClusterNameProperty = JsonEncodedText.Encode("clusterName");
    private static readonly JsonEncodedText TimestampProperty = JsonEncodedText.Encode("@timestamp");
    private static readonly JsonEncodedText FirstTimestampProperty = JsonEncodedText.Encode("firstTimestamp");
    private static readonly JsonEncodedText LastTimestampProperty = JsonEncodedText.Encode("lastTimestamp");

    private readonly Utf8JsonWriter _writer = new(Stream.Null, new JsonWriterOptions
    {
        SkipValidation = true,
        // Documents go to OpenSearch, not into HTML: keep non-ASCII text as UTF-8 instead of \uXXXX escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private DateOnly _lastDate = DateOnly.MinValue;
    private string? _lastIndex;

    /// <summary>The index prefix (EVENTS_INDEX).</summary>
    public string IndexPrefix { get; } = indexPrefix;

    /// <summary>Builds the bulk item for one event, appending its source to <paramref name="output"/>.</summary>
    /// <param name="problem">Why the event cannot be indexed, naming the field at fault.</param>
    /// <returns>The item, or null when <paramref name="problem"/> says why not.</returns>
    public BulkItem? TryBuild(JsonElement evt, string clusterName, ArrayBufferWriter<byte> output, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!evt.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            problem = "the event has no metadata object";
            return null;
        }

        if (!metadata.TryGetProperty("uid", out var uidElement) || uidElement.ValueKind != JsonValueKind.String || uidElement.GetString() is not { Length: > 0 } uid)
        {
            problem = "the event has no metadata.uid, which is its document id";
            return null;
        }

        var creation = Time(metadata, "creationTimestamp");
        var eventTime = Time(evt, "eventTime");
        var seriesLast = evt.TryGetProperty("series", out var series) && series.ValueKind == JsonValueKind.Object ? Time(series, "lastObservedTime") : null;
        var first = Time(evt, "firstTimestamp");
        var last = Time(evt, "lastTimestamp");

        // Scheduler and other events.k8s.io-style events carry only eventTime (and series for repeats);
        // the dashboards key on lastTimestamp, so fill both from what the event has. For a series, the
        // last observation is when the event was last seen.
        var firstFill = eventTime ?? seriesLast ?? creation;
        var lastFill = seriesLast ?? eventTime ?? creation;
        var lastSeen = last ?? lastFill;
        var day = creation ?? lastSeen ?? first;
        if (day is null)
        {
            problem = "the event has no usable time: metadata.creationTimestamp, lastTimestamp, eventTime and series.lastObservedTime are all missing or not RFC 3339";
            return null;
        }

        long? version = metadata.TryGetProperty("resourceVersion", out var rv) && rv.ValueKind == JsonValueKind.String
            && JsonMarshal.GetRawUtf8Value(rv) is var rawVersion && rawVersion.Length > 2
            && System.Buffers.Text.Utf8Parser.TryParse(rawVersion[1..^1], out long parsed, out var consumed) && consumed == rawVersion.Length - 2 && parsed >= 0
                ? parsed
                : null;

        var start = output.WrittenCount;
        _writer.Reset(output);
        _writer.WriteStartObject();
        bool hasFirst = false, hasLast = false;
        foreach (var property in evt.EnumerateObject())
        {
            if (property.NameEquals("metadata"u8))
            {
                WriteName(property);
                var raw = JsonMarshal.GetRawUtf8Value(property.Value);
                if (raw.IndexOf("\"managedFields\""u8) < 0 && raw.IndexOf("\"labels\""u8) < 0 && raw.IndexOf("\"annotations\""u8) < 0 && raw.IndexOfAny((byte)'\n', (byte)'\r') < 0)
                {
                    _writer.WriteRawValue(raw, skipInputValidation: true); // nothing to drop or de-dot
                }
                else
                {
                    WriteObject(property.Value, dedotKeys: false, dropManagedFields: true);
                }
            }
            else if (property.NameEquals("firstTimestamp"u8))
            {
                hasFirst = true;
                WriteTime(FirstTimestampProperty, property.Value, firstFill);
            }
            else if (property.NameEquals("lastTimestamp"u8))
            {
                hasLast = true;
                WriteTime(LastTimestampProperty, property.Value, lastFill);
            }
            else if (property.NameEquals("clusterName"u8) || property.NameEquals("@timestamp"u8))
            {
                // ours win: a re-fed exported document must not carry two
            }
            else
            {
                WriteName(property);
                WriteValue(property.Value, property.NameEquals("labels"u8) ? "labels" : property.NameEquals("annotations"u8) ? "annotations" : string.Empty);
            }
        }

        if (!hasFirst)
        {
            WriteTime(FirstTimestampProperty, default, firstFill);
        }

        if (!hasLast)
        {
            WriteTime(LastTimestampProperty, default, lastFill);
        }

        _writer.WriteString(ClusterNameProperty, clusterName);
        if (lastSeen is { } seen)
        {
            _writer.WritePropertyName(TimestampProperty);
            seen.Text.WriteTo(_writer);
        }

        _writer.WriteEndObject();
        _writer.Flush();

        problem = null;
        var date = DateOnly.FromDateTime(day.Value.Value.UtcDateTime);
        if (date != _lastDate)
        {
            // Events of a batch mostly share a creation day: name its index once.
            _lastDate = date;
            _lastIndex = string.Concat(IndexPrefix, "-", date.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture));
        }

        var index = _lastIndex!;
        return new BulkItem(index, uid, output.WrittenMemory[start..]) { ExternalVersion = version };
    }

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
            f.Text.WriteTo(_writer);
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
        else if (raw.IndexOfAny((byte)'\n', (byte)'\r') >= 0)
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

    private static EventTime? Time(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && value.TryGetDateTimeOffset(out var parsed)
                ? new EventTime(value, parsed)
                : null;

    /// <summary>A timestamp as the event wrote it (copied verbatim) and as a point in time.</summary>
    private readonly record struct EventTime(JsonElement Text, DateTimeOffset Value);
}
