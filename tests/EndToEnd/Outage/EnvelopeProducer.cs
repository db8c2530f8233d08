using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Collector.Kubernetes;
using Collector.Packing;
using TestSupport.Kubernetes;

namespace EndToEnd.Tests.Outage;

/// <summary>
/// Puts event changes on the events queue as the collector would: events made by the Kubernetes API double (real
/// core/v1 shapes and resourceVersions), four in five new and one in five a repeat of a recent one, packed into
/// envelopes by the collector's own packer. Remembers each event's last resourceVersion, which is what must end up
/// stored however long the domain was away.
/// </summary>
public sealed class EnvelopeProducer(KubernetesApiDouble api, IAmazonSQS sqs, string queueUrl)
{
    private readonly Dictionary<string, long> _latest = new(StringComparer.Ordinal);
    private readonly List<(string Namespace, string Name)> _recent = [];
    private readonly EnvelopePacker _packer = new("e2e", 16 * 1024);
    private int _changes;

    /// <summary>uid → last resourceVersion sent.</summary>
    public IReadOnlyDictionary<string, long> Latest => _latest;

    /// <summary>Event changes sent.</summary>
    public int Changes => _changes;

    /// <summary>Queue messages sent.</summary>
    public int Messages { get; private set; }

    /// <summary>Makes <paramref name="changes"/> changes and sends them in as few envelopes as fit.</summary>
    public async Task SendAsync(int changes, CancellationToken cancellationToken)
    {
        var envelopes = new List<Envelope>();
        for (var i = 0; i < changes; i++, _changes++)
        {
            var json = _changes % 5 == 4 && _recent.Count > 0
                ? Update(_recent[_changes % _recent.Count])
                : Create();
            var metadata = json["metadata"]!;
            var uid = metadata["uid"]!.GetValue<string>();
            var version = metadata["resourceVersion"]!.GetValue<string>();
            _latest[uid] = long.Parse(version, CultureInfo.InvariantCulture);
            _packer.Add(
                new ObservedEvent
                {
                    Uid = uid,
                    ResourceVersion = version,
                    Namespace = metadata["namespace"]!.GetValue<string>(),
                    Type = json["type"]!.GetValue<string>(),
                    Reason = json["reason"]!.GetValue<string>(),
                    InvolvedKind = "Pod",
                    Json = Encoding.UTF8.GetBytes(json.ToJsonString()),
                },
                envelopes);
        }

        _packer.Flush(envelopes);
        foreach (var envelope in envelopes)
        {
            await sqs.SendMessageAsync(queueUrl, Encoding.UTF8.GetString(envelope.Body.Span), cancellationToken);
            Messages++;
        }
    }

    private JsonObject Create()
    {
        var created = api.AddEvent("team-" + (_changes % 7).ToString(CultureInfo.InvariantCulture), reason: _changes % 3 == 0 ? "BackOff" : "Pulled", type: _changes % 3 == 0 ? "Warning" : "Normal");
        var metadata = created["metadata"]!;
        _recent.Add((metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>()));
        return created;
    }

    private JsonObject Update((string Namespace, string Name) recent) =>
        api.UpdateEvent(recent.Namespace, recent.Name, "Back-off restarting failed container (" + _changes.ToString(CultureInfo.InvariantCulture) + ")");
}
