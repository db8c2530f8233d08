using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IndexerFunction.Documents;
using IndexerFunction.Metrics;
using Shared.Contract;
using Shared.Contract.Queue;

namespace IndexerFunction.Messages;

/// <summary>
/// Reads a queue message body in any of the three forms the contract allows (docs/contract.md):
/// the Collector's <c>eks-events/v1</c> envelope, one core/v1 Event, or a list
/// (<c>EventList</c> or <c>List</c> with <c>items</c>, as <c>kubectl get events -o json</c> prints),
/// and builds each event's document as it goes.
/// </summary>
/// <remarks>
/// One forward pass of a <see cref="Utf8JsonReader"/> over the body: the envelope's events are built while the
/// reader passes them (<see cref="EventDocumentBuilder.Scan"/>), so the body is tokenized once and no DOM is
/// built. What the body turns out to be is decided only at its end, with the same answers, in the same order of
/// precedence, as a parse of the whole body would give: a body that is not JSON anywhere is refused as such
/// even after events were built, and a member repeated later wins (then the events are built again from the
/// array that counts, which the Collector never makes necessary). A refused body's documents stay in the
/// output buffer unused; nothing refers to them.
/// <para>
/// The envelope exactly as the Collector writes it, which is nearly every message, takes a faster path
/// (<see cref="TryReadEnvelope"/>): no reader at all, the events passed by <see cref="FastJson"/>, which validates
/// as it goes and gives the body back to the reader on anything it does not handle.
/// </para>
/// </remarks>
public sealed class QueueMessageReader(EventDocumentBuilder documents)
{
    // The envelope's names and schema as UTF-8, for the fast path.
    private static readonly byte[] SchemaName = Encoding.UTF8.GetBytes(QueueContract.SchemaProperty);
    private static readonly byte[] SchemaValue = Encoding.UTF8.GetBytes(QueueContract.EnvelopeSchema);
    private static readonly byte[] ClusterNameName = Encoding.UTF8.GetBytes(QueueContract.ClusterNameProperty);
    private static readonly byte[] EventsName = Encoding.UTF8.GetBytes(QueueContract.EventsProperty);

    // The longest reason the metric can name, quotes included; a longer one counts as Other and is not kept.
    private const int MaxKeptReasonBytes = WarningMetric.MaxReasonChars + 2;

    private readonly List<QueueEvent> _events = [];
    private readonly byte[] _lastRawReason = new byte[MaxKeptReasonBytes];
    private int _lastRawReasonLength;
    private WarningReasons? _lastReasons;
    private string _lastReasonName = string.Empty;

    /// <summary>The cluster of the body read last (its envelope's, else the attribute's, else the setting's); may be empty.</summary>
    public string ClusterName { get; private set; } = string.Empty;

    /// <summary>The events of the body read last, in message order; valid until the next read.</summary>
    public IReadOnlyList<QueueEvent> Events => _events;

    /// <summary>Reads the body and builds its events' documents into <paramref name="output"/>.</summary>
    /// <param name="body">The message body, UTF-8 JSON.</param>
    /// <param name="attributeClusterName">The message attribute <c>clusterName</c>, if present.</param>
    /// <param name="defaultClusterName">CLUSTER_NAME, for bodies that do not name a cluster.</param>
    /// <param name="reasons">The reasons the <c>WarningEvents</c> metric names.</param>
    /// <param name="output">Where the documents' bytes go.</param>
    /// <param name="problem">Why the body cannot be read, naming what is wrong.</param>
    /// <returns>Whether the body was read (then see <see cref="Events"/>, each of which may still have a problem of its own).</returns>
    public bool TryRead(ReadOnlySpan<byte> body, string? attributeClusterName, string defaultClusterName, WarningReasons reasons, ArrayBufferWriter<byte> output, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(output);
        _events.Clear();
        var fallbackCluster = string.IsNullOrEmpty(attributeClusterName) ? defaultClusterName : attributeClusterName;
        try
        {
            if (!TryReadEnvelope(body, fallbackCluster, reasons, output, out problem))
            {
                _events.Clear();
                problem = NotUtf8(body) ?? Read(body, fallbackCluster, reasons, output);
            }
        }
        catch (JsonException ex)
        {
            problem = $"the body is not JSON: {ex.Message}";
        }

        if (problem is not null)
        {
            _events.Clear();
        }

        return problem is null;
    }

    /// <summary>
    /// The fast path, for the envelope exactly as the Collector writes it: <c>schema</c>, <c>clusterName</c> (a
    /// string, or left out), <c>events</c>, in that order and nothing else, the names, the schema and the cluster
    /// without escapes. Its events are read with <see cref="EventDocumentBuilder.TryScanFast"/>, which finds the
    /// members a document needs without tokenizing the rest. Any other body, or one where <see cref="FastJson"/>
    /// gives up, returns false; then <see cref="Read"/> reads it from the start, and its answer counts (what was
    /// built here stays in the output buffer unused).
    /// </summary>
    private bool TryReadEnvelope(ReadOnlySpan<byte> body, string fallbackCluster, WarningReasons reasons, ArrayBufferWriter<byte> output, out string? problem)
    {
        problem = null;
        var at = FastJson.WhiteSpace(body, 0);
        if (!FastJson.Is(body, at, (byte)'{'))
        {
            return false;
        }

        at = FastJson.WhiteSpace(body, at + 1);
        if (!PlainString(body, ref at, out var name) || !name.SequenceEqual(SchemaName) || !Colon(body, ref at)
            || !PlainString(body, ref at, out var schema) || !schema.SequenceEqual(SchemaValue) || !Comma(body, ref at)
            || !PlainString(body, ref at, out name) || !Colon(body, ref at))
        {
            return false;
        }

        var cluster = fallbackCluster;
        if (name.SequenceEqual(ClusterNameName))
        {
            if (!PlainString(body, ref at, out var clusterName) || !Comma(body, ref at) || !PlainString(body, ref at, out name) || !Colon(body, ref at))
            {
                return false;
            }

            cluster = clusterName.IsEmpty ? fallbackCluster : Encoding.UTF8.GetString(clusterName);
        }

        if (!name.SequenceEqual(EventsName) || !FastJson.Is(body, at, (byte)'['))
        {
            return false;
        }

        // Envelope, array, event: an event is nested three deep, as the reader counts.
        _events.Clear();
        var position = 0;
        at = FastJson.WhiteSpace(body, at + 1);
        var more = !FastJson.Is(body, at, (byte)']');
        at = more ? at : at + 1;
        while (more)
        {
            int end;
            if (problem is not null)
            {
                end = FastJson.Value(body, at, 2); // only checked, as the reader skips the items after a problem
            }
            else if (!FastJson.Is(body, at, (byte)'{') || !documents.TryScanFast(body, at, 3, out end))
            {
                return false;
            }
            else if (documents.OtherKind(body) is { } other)
            {
                problem = $"item {position} is a {other}, not an Event";
            }
            else
            {
                _events.Add(Build(body, cluster, reasons, output));
                position++;
            }

            if (end < 0 || (at = FastJson.Next(body, end, (byte)']', out more)) < 0)
            {
                return false;
            }
        }

        at = FastJson.WhiteSpace(body, at);
        if (!FastJson.Is(body, at, (byte)'}') || FastJson.WhiteSpace(body, at + 1) != body.Length)
        {
            return false;
        }

        ClusterName = cluster;
        return true;
    }

    /// <summary>
    /// Why the body is not UTF-8, or null when it is. JSON text is UTF-8, and a reader that passes a string with a
    /// bad sequence fails only when the string is read (with another exception than for text that is not JSON),
    /// so the body is checked whole first. (What the fast path accepts is UTF-8: it checks every string it passes.)
    /// </summary>
    private static string? NotUtf8(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return null;
        }

        var at = 0;
        while (Rune.DecodeFromUtf8(body[at..], out _, out var consumed) == OperationStatus.Done)
        {
            at += consumed;
        }

        return string.Create(CultureInfo.InvariantCulture, $"the body is not UTF-8: an invalid sequence at byte {at} (0x{body[at]:X2})");
    }

    /// <summary>A string without escapes at <paramref name="at"/>: its text, and <paramref name="at"/> moved past it.</summary>
    private static bool PlainString(ReadOnlySpan<byte> body, ref int at, out ReadOnlySpan<byte> text)
    {
        var start = at;
        text = default;
        if (!FastJson.Is(body, at, (byte)'"') || (at = FastJson.String(body, at, out var escaped)) < 0 || escaped)
        {
            return false;
        }

        text = body[(start + 1)..(at - 1)];
        return true;
    }

    private static bool Colon(ReadOnlySpan<byte> body, ref int at) => (at = FastJson.Colon(body, at)) >= 0;

    private static bool Comma(ReadOnlySpan<byte> body, ref int at)
    {
        at = FastJson.WhiteSpace(body, at);
        if (!FastJson.Is(body, at, (byte)','))
        {
            return false;
        }

        at = FastJson.WhiteSpace(body, at + 1);
        return true;
    }

    private string? Read(ReadOnlySpan<byte> body, string fallbackCluster, WarningReasons reasons, ArrayBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(body, EventDocumentBuilder.ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var type = reader.TokenType;
            reader.Skip();
            ReadToEnd(ref reader);
            return $"the body is a JSON {KindName(type)}, not an object";
        }

        // The members the form depends on, each at its last occurrence.
        Member schema = default, cluster = default, kind = default, events = default, items = default;
        var built = default(Built);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals(QueueContract.SchemaProperty) ? 1
                : reader.ValueTextEquals(QueueContract.ClusterNameProperty) ? 2
                : reader.ValueTextEquals(QueueContract.EventsProperty) ? 3
                : reader.ValueTextEquals("kind"u8) ? 4
                : reader.ValueTextEquals("items"u8) ? 5
                : 0;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            var type = reader.TokenType;
            var ours = type == JsonTokenType.String && reader.ValueTextEquals(QueueContract.EnvelopeSchema);
            if (name == 3 && type == JsonTokenType.StartArray && schema.IsOurs)
            {
                // The envelope as the Collector writes it (schema, clusterName, events): build while passing.
                var provisionalCluster = Cluster(body, cluster, fallbackCluster);
                built = new Built(start, cluster.Start, provisionalCluster, ReadEvents(ref reader, body, provisionalCluster, reasons, output));
            }
            else
            {
                reader.Skip();
            }

            var end = type == JsonTokenType.String ? start + reader.ValueSpan.Length + 2 : (int)reader.BytesConsumed;
            var member = new Member(type, start, end, ours);
            switch (name)
            {
                case 1: schema = member; break;
                case 2: cluster = member; break;
                case 3: events = member; break;
                case 4: kind = member; break;
                case 5: items = member; break;
            }
        }

        ReadToEnd(ref reader);
        if (schema.Type != JsonTokenType.None)
        {
            if (!schema.IsOurs)
            {
                return $"unsupported envelope schema {Encoding.UTF8.GetString(body[schema.Start..schema.End])}: this indexer reads '{QueueContract.EnvelopeSchema}'";
            }

            if (events.Type != JsonTokenType.StartArray)
            {
                return $"the '{QueueContract.EnvelopeSchema}' envelope has no '{QueueContract.EventsProperty}' array";
            }

            // Built while passing, the events hold the cluster named before them; a clusterName after them counts instead.
            var envelopeCluster = built.Cluster is not null && built.ClusterStart == cluster.Start ? built.Cluster : Cluster(body, cluster, fallbackCluster);
            if (built.Start != events.Start || built.Cluster != envelopeCluster)
            {
                built = new Built(events.Start, cluster.Start, envelopeCluster, ReadEvents(body[events.Start..events.End], envelopeCluster, reasons, output));
            }

            ClusterName = envelopeCluster;
            return built.Problem;
        }

        var kindName = kind.Type == JsonTokenType.String ? String(body, kind) : null;
        switch (kindName)
        {
            case "Event":
                // The body is the event: read it again as one (its JSON is already known to be valid).
                _events.Clear();
                var eventReader = new Utf8JsonReader(body, EventDocumentBuilder.ReaderOptions);
                eventReader.Read();
                documents.Scan(ref eventReader);
                _events.Add(Build(body, fallbackCluster, reasons, output));
                ClusterName = fallbackCluster;
                return null;
            case "EventList" or "List":
                if (items.Type != JsonTokenType.StartArray)
                {
                    return $"the {kindName} has no 'items' array";
                }

                ClusterName = fallbackCluster;
                return ReadEvents(body[items.Start..items.End], fallbackCluster, reasons, output);
            default:
                return kindName is null
                    ? $"the body is neither an '{QueueContract.EnvelopeSchema}' envelope (no 'schema') nor a Kubernetes object (no 'kind')"
                    : $"the body is a Kubernetes {kindName}, not an Event, EventList or List";
        }
    }

    /// <summary>Builds the events of an array already known to be valid JSON (<paramref name="array"/> is the whole array).</summary>
    private string? ReadEvents(ReadOnlySpan<byte> array, string cluster, WarningReasons reasons, ArrayBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(array, EventDocumentBuilder.ReaderOptions);
        reader.Read();
        return ReadEvents(ref reader, array, cluster, reasons, output);
    }

    /// <summary>
    /// Builds the events of the array the reader stands at, leaving it at the array's end. The first item that is
    /// not an Event makes the message's problem; the rest of the array is still read, for the JSON to be checked.
    /// </summary>
    private string? ReadEvents(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, string cluster, WarningReasons reasons, ArrayBufferWriter<byte> output)
    {
        _events.Clear();
        string? problem = null;
        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (problem is not null)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problem = $"item {position} is a JSON {KindName(reader.TokenType)}, not an Event object";
                reader.Skip();
                continue;
            }

            documents.Scan(ref reader);

            // EventList items carry no kind; List items do, and a List may hold anything.
            if (documents.OtherKind(source) is { } other)
            {
                problem = $"item {position} is a {other}, not an Event";
                continue;
            }

            _events.Add(Build(source, cluster, reasons, output));
            position++;
        }

        return problem;
    }

    private QueueEvent Build(ReadOnlySpan<byte> source, string cluster, WarningReasons reasons, ArrayBufferWriter<byte> output)
    {
        var item = documents.Build(source, cluster, output, out var problem);
        return new QueueEvent(item, problem, item is not null && documents.IsWarning(source) ? WarningName(documents.RawReason(source), reasons) : null);
    }

    /// <summary>
    /// <see cref="WarningReasons.NameOf"/>, kept for the last reason: Warning events come in bursts of one reason
    /// (a crash-looping pod's <c>BackOff</c>), so most are named by a comparison of their raw bytes.
    /// </summary>
    private string WarningName(ReadOnlySpan<byte> rawReason, WarningReasons reasons)
    {
        if (ReferenceEquals(reasons, _lastReasons) && rawReason.SequenceEqual(_lastRawReason.AsSpan(0, _lastRawReasonLength)))
        {
            return _lastReasonName;
        }

        var name = reasons.NameOf(rawReason);
        if (rawReason.Length <= MaxKeptReasonBytes)
        {
            _lastReasons = reasons;
            rawReason.CopyTo(_lastRawReason);
            _lastRawReasonLength = rawReason.Length;
            _lastReasonName = name;
        }

        return name;
    }

    /// <summary>The envelope's <c>clusterName</c> when it is a non-empty string, else the fallback.</summary>
    private static string Cluster(ReadOnlySpan<byte> body, Member cluster, string fallbackCluster) =>
        cluster.Type == JsonTokenType.String && String(body, cluster) is { Length: > 0 } name ? name : fallbackCluster;

    private static string String(ReadOnlySpan<byte> body, Member member)
    {
        var reader = new Utf8JsonReader(body[member.Start..member.End], EventDocumentBuilder.ReaderOptions);
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>Reads on past the root value: anything but white space after it is not JSON.</summary>
    private static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    /// <summary>How a parsed document names the kind of a value that starts with <paramref name="type"/>.</summary>
    private static string KindName(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        _ => "null",
    };

    /// <summary>A member of the body: its value's first token and where the value lies; whether it is our schema's name.</summary>
    private readonly record struct Member(JsonTokenType Type, int Start, int End, bool IsOurs);

    /// <summary>The events array built so far: where it starts, for which cluster (and where that was named; 0 for nowhere), and the problem it made.</summary>
    private readonly record struct Built(int Start, int ClusterStart, string? Cluster, string? Problem);
}
