using System.Text;
using System.Text.Json;

namespace Collector.Kubernetes;

/// <summary>
/// Reads watch lines, list pages and Status bodies with one forward pass of <see cref="Utf8JsonReader"/>.
/// Events are kept as the bytes the API server sent: the only edit is cutting <c>metadata.managedFields</c>
/// out by byte range (and, for list items, which the API serves without them, adding <c>kind</c> and
/// <c>apiVersion</c> so every event in an envelope looks like a watched one). Nothing is re-serialized,
/// so field order, number formats and escapes reach OpenSearch exactly as Kubernetes wrote them.
/// </summary>
public static class EventJson
{
    private static readonly byte[] ListItemPrefix = "{\"kind\":\"Event\",\"apiVersion\":\"v1\""u8.ToArray();

    /// <summary>Parses one watch line. Throws <see cref="JsonException"/> when the line is not a watch event.</summary>
    public static WatchNotification ParseWatchLine(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        Expect(ref reader, JsonTokenType.StartObject);
        string? type = null;
        ObjectFields fields = default;
        var haveObject = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new JsonException("The watch event's 'object' is not an object.");
                }

                fields = ScanObject(ref reader);
                haveObject = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type is null || !haveObject)
        {
            throw new JsonException("A watch line needs 'type' and 'object'.");
        }

        return new WatchNotification
        {
            Type = type,
            Event = type is "ADDED" or "MODIFIED" or "DELETED" ? fields.ToEvent(line, addKind: false) : null,
            ResourceVersion = fields.ResourceVersion ?? "",
            StatusCode = fields.Code,
            StatusReason = fields.Reason ?? "",
            StatusMessage = fields.Message ?? "",
        };
    }

    /// <summary>Parses a page of <c>GET .../events?limit=&amp;continue=</c>.</summary>
    public static EventListPage ParseListPage(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartObject);
        var items = new List<ObservedEvent>();
        string resourceVersion = "";
        string continueToken = "";
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("resourceVersion"u8))
                    {
                        reader.Read();
                        resourceVersion = reader.GetString() ?? "";
                    }
                    else if (reader.ValueTextEquals("continue"u8))
                    {
                        reader.Read();
                        continueToken = reader.GetString() ?? "";
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("The list's 'items' is not an array.");
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    var fields = ScanObject(ref reader);
                    items.Add(fields.ToEvent(body, addKind: !fields.HasKind));
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new EventListPage { Items = items, ResourceVersion = resourceVersion, Continue = continueToken };
    }

    /// <summary>Reads a meta/v1 Status body; null when the body is not one (e.g. a proxy's HTML page).</summary>
    public static ApiStatus? TryParseStatus(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var fields = ScanObject(ref reader);
            return new ApiStatus(fields.Code, fields.Reason ?? "", fields.Message ?? "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}.");
        }
    }

    /// <summary>
    /// Walks the object the reader is on (StartObject) to its EndObject, picking out routing fields and the
    /// byte range of <c>metadata.managedFields</c>.
    /// </summary>
    private static ObjectFields ScanObject(ref Utf8JsonReader reader)
    {
        var fields = new ObjectFields { Start = (int)reader.TokenStartIndex, CutStart = -1 };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            fields.PropertyCount++;
            if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ScanMetadata(ref reader, ref fields);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("involvedObject"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("kind"u8))
                        {
                            reader.Read();
                            fields.InvolvedKind = StringOrNull(ref reader);
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                fields.Type = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("reason"u8))
            {
                reader.Read();
                fields.Reason = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                fields.Message = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                fields.HasKind = true;
                reader.Read();
                reader.Skip();
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var code))
                {
                    fields.Code = code;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Unterminated object.");
        }

        fields.End = (int)reader.BytesConsumed;
        return fields;
    }

    private static void ScanMetadata(ref Utf8JsonReader reader, ref ObjectFields fields)
    {
        // previousEnd is where the previous member's value ended, so that cutting from there to the end of
        // managedFields removes the separating comma with it and leaves valid JSON.
        var previousEnd = (int)reader.BytesConsumed;
        var first = true;
        var pending = reader.Read();
        while (pending && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("managedFields"u8))
            {
                var nameStart = (int)reader.TokenStartIndex;
                reader.Read();
                reader.Skip();
                var valueEnd = (int)reader.BytesConsumed;
                pending = reader.Read();
                if (!first)
                {
                    (fields.CutStart, fields.CutEnd) = (previousEnd, valueEnd);
                }
                else if (pending && reader.TokenType == JsonTokenType.PropertyName)
                {
                    (fields.CutStart, fields.CutEnd) = (nameStart, (int)reader.TokenStartIndex);
                }
                else
                {
                    (fields.CutStart, fields.CutEnd) = (nameStart, valueEnd);
                }

                first = false;
                continue;
            }

            if (reader.ValueTextEquals("uid"u8))
            {
                reader.Read();
                fields.Uid = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("resourceVersion"u8))
            {
                reader.Read();
                fields.ResourceVersion = StringOrNull(ref reader);
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                reader.Read();
                fields.Namespace = StringOrNull(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }

            previousEnd = (int)reader.BytesConsumed;
            first = false;
            pending = reader.Read();
        }

        if (!pending || reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("Unterminated metadata object.");
        }
    }

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private struct ObjectFields
    {
        public int Start;
        public int End;
        public int CutStart;
        public int CutEnd;
        public int PropertyCount;
        public bool HasKind;
        public string? Uid;
        public string? ResourceVersion;
        public string? Namespace;
        public string? Type;
        public string? Reason;
        public string? Message;
        public string? InvolvedKind;
        public int Code;

        public readonly ObservedEvent ToEvent(ReadOnlySpan<byte> source, bool addKind)
        {
            var whole = source[Start..End];
            var cutStart = CutStart < 0 ? 0 : CutStart - Start;
            var cutLength = CutStart < 0 ? 0 : CutEnd - CutStart;
            var prefix = addKind ? ListItemPrefix.Length + (PropertyCount > 0 ? 1 : 0) - 1 : 0;
            var json = new byte[whole.Length - cutLength + prefix];
            var offset = 0;
            var body = whole;
            if (addKind)
            {
                // Replace the opening brace with {"kind":"Event","apiVersion":"v1" plus a comma if members follow.
                ListItemPrefix.CopyTo(json, 0);
                offset = ListItemPrefix.Length;
                if (PropertyCount > 0)
                {
                    json[offset++] = (byte)',';
                }

                body = whole[1..];
                cutStart--;
            }

            if (cutLength == 0)
            {
                body.CopyTo(json.AsSpan(offset));
            }
            else
            {
                body[..cutStart].CopyTo(json.AsSpan(offset));
                body[(cutStart + cutLength)..].CopyTo(json.AsSpan(offset + cutStart));
            }

            return new ObservedEvent
            {
                Uid = Uid ?? "",
                ResourceVersion = ResourceVersion ?? "",
                Namespace = Namespace ?? "",
                Type = Type ?? "",
                Reason = Reason ?? "",
                InvolvedKind = InvolvedKind ?? "",
                Json = json,
            };
        }
    }

    /// <summary>For diagnostics: the first bytes of a line that failed to parse.</summary>
    public static string Preview(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line[..Math.Min(line.Length, 200)]);
}
