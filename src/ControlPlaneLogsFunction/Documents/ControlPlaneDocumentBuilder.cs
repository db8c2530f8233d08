using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ControlPlaneLogsFunction.Parsing;
using Functions.Runtime.Events.CloudWatchLogs;
using Shared.Contract.Indices;
using Shared.OpenSearch;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>
/// Turns log events into documents (docs/control-plane-logs.md): the always-present fields of the
/// LogsToElasticsearch blueprint, then the fields parsed for the log type. A line that does not parse
/// still becomes a document, with <c>parse_error</c>: nothing is dropped. Not thread-safe: its buffers
/// are reused from one line to the next (one builder per handler, one invocation at a time).
/// </summary>
public sealed class ControlPlaneDocumentBuilder
{
    /// <summary>Most structured klog pairs taken from one line.</summary>
    public const int MaxPairs = 32;

    private const string AuditProblem = "not a JSON audit event: ";
    private static readonly JsonEncodedText AuthenticatorPrefix = JsonEncodedText.Encode("authenticator_");
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // OpenSearch reads any valid JSON; escaping only what JSON requires keeps documents small and fast to write.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly string _indexPrefix;
    private readonly string _defaultClusterName;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly CharScratch _scratch = new();
    private readonly CharScratch _keyScratch = new();
    private readonly CharScratch _pair = new();
    private byte[] _utf8 = new byte[4096];
    private byte[] _arena = new byte[256 * 1024];
    private int _arenaUsed;
    private long _indexDay = long.MinValue;
    private string _index = string.Empty;

    /// <summary>Creates a builder for indices <c>{indexPrefix}-yyyy.MM.dd</c>.</summary>
    public ControlPlaneDocumentBuilder(string indexPrefix, string defaultClusterName)
    {
        _indexPrefix = indexPrefix;
        _defaultClusterName = defaultClusterName;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>The source of a payload's lines.</summary>
    public LogSource SourceOf(CloudWatchLogsPayload payload) => LogSource.From(payload, _defaultClusterName);

    /// <summary>Builds one document per log event of the payload, in order, into <paramref name="output"/>.</summary>
    /// <param name="payload">A DATA_MESSAGE payload.</param>
    /// <param name="utf8Repaired">True when the payload held invalid UTF-8 that decoding replaced with U+FFFD.</param>
    /// <param name="output">Receives the documents.</param>
    public void Build(CloudWatchLogsPayload payload, bool utf8Repaired, ICollection<BuiltDocument> output)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(output);
        var source = SourceOf(payload);
        // Documents of one payload live only until the payload is indexed: they share one buffer, reused
        // by the next payload (one invocation at a time), instead of an array each.
        _arenaUsed = 0;
        foreach (var logEvent in payload.LogEvents ?? [])
        {
            output.Add(Build(source, logEvent, utf8Repaired, inArena: true));
        }
    }

    /// <summary>Builds the document of one log event.</summary>
    public BuiltDocument Build(LogSource source, CloudWatchLogsLogEvent logEvent, bool utf8Repaired) =>
        Build(source, logEvent, utf8Repaired, inArena: false);

    private BuiltDocument Build(LogSource source, CloudWatchLogsLogEvent logEvent, bool utf8Repaired, bool inArena)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logEvent);
        var message = logEvent.Message ?? string.Empty;
        var eventTime = DateTime.UnixEpoch.AddMilliseconds(logEvent.Timestamp);
        string? parseError;
        Begin(source, logEvent, eventTime, message);
        try
        {
            parseError = WriteParsed(source.Type, message, eventTime);
        }
        catch (JsonException ex)
        {
            parseError = AuditProblem + ex.Message;
        }

        if (parseError is not null)
        {
            // Start again: whatever the parser wrote before it gave up must not be in the document.
            Begin(source, logEvent, eventTime, message);
            _writer.WriteString(FieldNames.ParseError, parseError);
        }

        if (utf8Repaired && message.Contains('\uFFFD', StringComparison.Ordinal))
        {
            _writer.WriteBoolean(FieldNames.InvalidUtf8, true);
        }

        return new BuiltDocument(Finish(logEvent, eventTime, inArena), source, logEvent, parseError is not null);
    }

    /// <summary>
    /// The plain form of a document OpenSearch refused for good: only the always-present fields, the raw
    /// line and the refusal, all of which the template maps, so the raw line is stored after all.
    /// </summary>
    public BulkItem BuildPlain(LogSource source, CloudWatchLogsLogEvent logEvent, string indexError)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logEvent);
        var eventTime = DateTime.UnixEpoch.AddMilliseconds(logEvent.Timestamp);
        Begin(source, logEvent, eventTime, logEvent.Message ?? string.Empty);
        _writer.WriteString(FieldNames.IndexError, indexError);
        return Finish(logEvent, eventTime, inArena: false);
    }

    private void Begin(LogSource source, CloudWatchLogsLogEvent logEvent, DateTime eventTime, string message)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString(FieldNames.Id, logEvent.Id);
        Span<byte> timestamp = stackalloc byte[32];
        eventTime.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        _writer.WriteString(FieldNames.Timestamp, timestamp[..written]);
        _writer.WriteString(FieldNames.Message, message);
        _writer.WriteString(FieldNames.Owner, source.Owner);
        _writer.WriteString(FieldNames.LogGroup, source.LogGroup);
        _writer.WriteString(FieldNames.LogStream, source.LogStream);
        _writer.WriteString(FieldNames.ClusterName, source.ClusterName);
        _writer.WriteString(FieldNames.LogType, LogStreamClassifier.Name(source.Type));
    }

    private BulkItem Finish(CloudWatchLogsLogEvent logEvent, DateTime eventTime, bool inArena)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        var written = _buffer.WrittenSpan;
        if (!inArena)
        {
            return new BulkItem(IndexFor(eventTime), logEvent.Id!, written.ToArray());
        }

        if (_arena.Length - _arenaUsed < written.Length)
        {
            // A new, larger arena; documents already built keep the old one alive until they are dropped.
            _arena = new byte[Math.Max(_arena.Length * 2, written.Length)];
            _arenaUsed = 0;
        }

        written.CopyTo(_arena.AsSpan(_arenaUsed));
        var source = _arena.AsMemory(_arenaUsed, written.Length);
        _arenaUsed += written.Length;
        return new BulkItem(IndexFor(eventTime), logEvent.Id!, source);
    }

    /// <summary>Writes the parsed fields; returns why the line did not parse, or null.</summary>
    private string? WriteParsed(LogType type, string message, DateTime eventTime)
    {
        switch (type)
        {
            case LogType.KubeApiServerAudit:
                return WriteAudit(message) is { } problem ? AuditProblem + problem : null;
            case LogType.Authenticator:
                return WriteAuthenticator(message) ? null : "not an authenticator key=value line";
            case LogType.Unknown:
                return WriteKlog(message, eventTime) ? null : "unknown log stream and not a klog line";
            default:
                return WriteKlog(message, eventTime) ? null : "not a klog line (Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg)";
        }
    }

    private string? WriteAudit(string message)
    {
        var max = Encoding.UTF8.GetMaxByteCount(message.Length);
        if (_utf8.Length < max)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(message, _utf8);
        return AuditEventWriter.Write(_utf8.AsSpan(0, length), _writer);
    }

    private bool WriteKlog(string message, DateTime eventTime)
    {
        // Whitespace around the line is not part of it: an exporter's indentation, or the CR of a line
        // written with CRLF. @message keeps the line as it came.
        if (!KlogParser.TryParse(message.AsSpan().Trim(), out var line))
        {
            return false;
        }

        _writer.WriteString(FieldNames.Severity, line.Severity);
        Span<byte> time = stackalloc byte[32];
        KlogParser.ResolveTime(line.Month, line.Day, line.TimeOfDay, eventTime)
            .TryFormat(time, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        _writer.WriteString(FieldNames.Time, time[..written]);
        _writer.WriteNumber(FieldNames.ThreadId, line.ThreadId);
        _writer.WriteString(FieldNames.Source, line.Source);

        var scanner = new KeyValueScanner(line.Message, _scratch);
        if (!scanner.TryReadQuoted())
        {
            // Free text (e.g. a Trace[...] block): the whole message, every line of it.
            _writer.WriteString(FieldNames.Msg, line.Message);
            return true;
        }

        // Structured klog: "message" key=value ... The pairs go twice: as "key=value" keywords (one field,
        // however many keys exist) and as an object that the template indexes only for well-known keys.
        _writer.WriteString(FieldNames.Msg, scanner.Value);
        var pairs = 0;
        var afterMessage = scanner;
        Span<int> keyHashes = stackalloc int[MaxPairs];
        while (pairs < MaxPairs && scanner.MoveNext())
        {
            if (pairs == 0)
            {
                _writer.WriteStartArray(FieldNames.KeyValues);
            }

            _pair.Clear();
            _pair.Append(scanner.Key);
            _pair.Append('=');
            _pair.Append(scanner.Value);
            _writer.WriteStringValue(_pair.Written);
            pairs++;
        }

        if (pairs == 0)
        {
            return true;
        }

        _writer.WriteEndArray();
        _writer.WriteStartObject(FieldNames.Klog);
        scanner = afterMessage;
        for (var index = 0; index < pairs && scanner.MoveNext(); index++)
        {
            if (!SeenBefore(afterMessage, keyHashes, index, scanner.Key))
            {
                WriteKey(scanner.Key, default);
                _writer.WriteStringValue(scanner.Value);
            }
        }

        _writer.WriteEndObject();
        KlogObjectBlock.Write(_writer, afterMessage, pairs);
        return true;
    }

    private bool WriteAuthenticator(string message)
    {
        var scanner = new KeyValueScanner(message, _scratch);
        var start = scanner;
        var pairs = 0;
        Span<int> keyHashes = stackalloc int[MaxPairs];
        while (scanner.MoveNext())
        {
            if (pairs < MaxPairs && !SeenBefore(start, keyHashes, pairs, scanner.Key))
            {
                WriteKey(scanner.Key, FieldNames.IsReserved(scanner.Key) ? AuthenticatorPrefix : default);
                _writer.WriteStringValue(scanner.Value);
            }

            pairs++;
        }

        // Every token must be a pair: a Go panic or a plain log.Printf line in this stream is not logrus.
        return pairs > 0 && scanner.AtEnd;
    }

    /// <summary>
    /// True when one of the first <paramref name="count"/> pairs from <paramref name="start"/> has this key
    /// (OpenSearch refuses a document with a duplicate field). Records the key's hash at <paramref name="count"/>;
    /// only a hash match costs a second look at the earlier pairs.
    /// </summary>
    private bool SeenBefore(KeyValueScanner start, Span<int> hashes, int count, ReadOnlySpan<char> key)
    {
        var hash = string.GetHashCode(key);
        hashes[count] = hash;
        if (!hashes[..count].Contains(hash))
        {
            return false;
        }

        // A copy of the scanner with its own scratch, so the current value (maybe in the scratch) survives.
        var scan = new KeyValueScanner(start.Remaining, _keyScratch);
        for (var i = 0; i < count && scan.MoveNext(); i++)
        {
            if (scan.Key.SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }

    private void WriteKey(ReadOnlySpan<char> key, JsonEncodedText prefix)
    {
        // Dots would make object paths out of keys such as "k8s.io": keys become plain names.
        Span<char> name = stackalloc char[KeyValueScanner.MaxKeyLength + 16];
        var length = 0;
        if (!prefix.Equals(default))
        {
            prefix.Value.CopyTo(name);
            length = prefix.Value.Length;
        }

        key.CopyTo(name[length..]);
        var written = name.Slice(length, key.Length);
        written.Replace('.', '_');
        _writer.WritePropertyName(name[..(length + key.Length)]);
    }

    private string IndexFor(DateTime eventTime)
    {
        // Lines of one payload almost always share a day: build the index name once per day seen.
        var day = eventTime.Ticks / TimeSpan.TicksPerDay;
        if (day != _indexDay)
        {
            _index = DailyIndex.Name(_indexPrefix, DateOnly.FromDateTime(eventTime));
            _indexDay = day;
        }

        return _index;
    }
}
