using System.Buffers;
using System.Text.Json;
using Collector.Kubernetes;
using Shared.Contract.Queue;

namespace Collector.Packing;

/// <summary>
/// Packs events into <c>{"schema":"eks-events/v1","clusterName":"...","events":[...]}</c> messages of at most
/// <c>maxMessageBytes</c> UTF-8 bytes. Event bytes are appended as they came from the API server; the
/// envelope's own members are written once with <see cref="Utf8JsonWriter"/>. Not thread-safe: the sender
/// owns it.
/// </summary>
public sealed class EnvelopePacker
{
    private static readonly byte[] Footer = "]}"u8.ToArray();
    private readonly byte[] _header;
    private readonly int _maxMessageBytes;
    private readonly ArrayBufferWriter<byte> _open;
    private int _openCount;

    public EnvelopePacker(string clusterName, int maxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        _maxMessageBytes = maxMessageBytes;
        var header = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString(QueueContract.SchemaProperty, QueueContract.EnvelopeSchema);
            writer.WriteString(QueueContract.ClusterNameProperty, clusterName);
            writer.WriteStartArray(QueueContract.EventsProperty);
            writer.Flush();
        }

        _header = header.WrittenSpan.ToArray();
        if (_header.Length + Footer.Length >= maxMessageBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessageBytes), maxMessageBytes, "The message limit leaves no room for events.");
        }

        _open = new ArrayBufferWriter<byte>(Math.Min(maxMessageBytes, 64 * 1024));
    }

    /// <summary>The most bytes one event may take inside an envelope.</summary>
    public int MaxEventBytes => _maxMessageBytes - _header.Length - Footer.Length;

    /// <summary>Events in the message being filled.</summary>
    public int OpenEventCount => _openCount;

    /// <summary>Events truncated so far (each was too large for a message on its own).</summary>
    public long TruncatedCount { get; private set; }

    /// <summary>
    /// Adds an event to the open message. When it does not fit, the open message is closed into
    /// <paramref name="completed"/> first. An event too large for any message is shrunk (see
    /// <see cref="EventTruncator"/>) and travels alone.
    /// </summary>
    public void Add(ObservedEvent observed, ICollection<Envelope> completed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(completed);
        var json = observed.Json;
        if (json.Length > MaxEventBytes)
        {
            json = EventTruncator.Shrink(json, MaxEventBytes);
            TruncatedCount++;
        }

        // +1 for the comma that separates it from the previous event.
        if (_openCount > 0 && _header.Length + _open.WrittenCount + 1 + json.Length + Footer.Length > _maxMessageBytes)
        {
            completed.Add(CloseOpen());
        }

        if (_openCount > 0)
        {
            _open.Write(","u8);
        }

        _open.Write(json.Span);
        _openCount++;
    }

    /// <summary>Closes the open message into <paramref name="completed"/>; false when it holds no event.</summary>
    public bool Flush(ICollection<Envelope> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_openCount == 0)
        {
            return false;
        }

        completed.Add(CloseOpen());
        return true;
    }

    /// <summary>
    /// An envelope without events, <c>{"schema":"eks-events/v1","clusterName":"...","events":[]}</c>: the
    /// heartbeat. The indexer accepts it as a message with nothing to store.
    /// </summary>
    public Envelope Heartbeat()
    {
        var body = new byte[_header.Length + Footer.Length];
        _header.CopyTo(body, 0);
        Footer.CopyTo(body, _header.Length);
        return new Envelope(body, 0);
    }

    private Envelope CloseOpen()
    {
        var body = new byte[_header.Length + _open.WrittenCount + Footer.Length];
        _header.CopyTo(body, 0);
        _open.WrittenSpan.CopyTo(body.AsSpan(_header.Length));
        Footer.CopyTo(body, _header.Length + _open.WrittenCount);
        var envelope = new Envelope(body, _openCount);
        _open.ResetWrittenCount();
        _openCount = 0;
        return envelope;
    }
}
