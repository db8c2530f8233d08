using System.Diagnostics;
using System.Globalization;
using TestSupport.Kubernetes;

namespace EndToEnd.Tests.Events;

/// <summary>
/// Makes event changes in the Kubernetes API double at an even rate over a given time: four in five
/// create an event, one in five repeats a recent one (count + 1, new resourceVersion) as the kubelet does.
/// Remembers each event's last resourceVersion and when it was made, which is what must end up stored.
/// </summary>
public sealed class ChangeGenerator(KubernetesApiDouble api, int changes)
{
    private static readonly string[] Reasons = ["Scheduled", "Pulling", "Pulled", "Created", "Started", "BackOff", "Unhealthy", "Killing"];
    private readonly Dictionary<string, (long Version, DateTimeOffset ChangedAt)> _latest = new(StringComparer.Ordinal);
    private readonly List<(string Namespace, string Name, string Uid)> _recent = [];
    private readonly Random _random = new(7);

    /// <summary>Changes to make.</summary>
    public int Changes => changes;

    /// <summary>When the first change was made.</summary>
    public DateTimeOffset Started { get; private set; }

    /// <summary>uid → last resourceVersion and when it was made. Read only after <see cref="RunAsync"/> ends.</summary>
    public IReadOnlyDictionary<string, (long Version, DateTimeOffset ChangedAt)> Latest => _latest;

    /// <summary>Makes every change, spread evenly over <paramref name="duration"/>.</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var rate = changes / Math.Max(1, duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        Started = DateTimeOffset.UtcNow;
        var made = 0;
        while (made < changes)
        {
            var due = Math.Min(changes, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; made < due; made++)
            {
                Change(made);
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    private void Change(int sequence)
    {
        if (sequence % 5 == 4 && _recent.Count > 0)
        {
            var (ns, name, uid) = _recent[_random.Next(_recent.Count)];
            var updated = api.UpdateEvent(ns, name, "Back-off restarting failed container app in pod " + name + " (" + sequence.ToString(CultureInfo.InvariantCulture) + ")");
            _latest[uid] = (Version(updated), DateTimeOffset.UtcNow);
            return;
        }

        var created = api.AddEvent(
            "team-" + (sequence % 10).ToString(CultureInfo.InvariantCulture),
            reason: Reasons[sequence % Reasons.Length],
            type: sequence % 7 == 0 ? "Warning" : "Normal");
        var metadata = created["metadata"]!;
        var createdUid = metadata["uid"]!.GetValue<string>();
        _latest[createdUid] = (Version(created), DateTimeOffset.UtcNow);
        _recent.Add((metadata["namespace"]!.GetValue<string>(), metadata["name"]!.GetValue<string>(), createdUid));
        if (_recent.Count > 1000)
        {
            _recent.RemoveAt(0);
        }
    }

    private static long Version(System.Text.Json.Nodes.JsonObject json) =>
        long.Parse(json["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
}
