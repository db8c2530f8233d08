using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TestSupport.Kubernetes;

// Serves the Kubernetes API double and creates events at --rate per second (a third of them repeats of
// recent events, as kubelets do), deleting the oldest beyond --live like the API server's event TTL.
// Prints "listening <url>" once ready; runs until SIGTERM or SIGINT.
var rate = Option("--rate", 500);
var live = Option("--live", 20_000);
var namespaces = Option("--namespaces", 20);

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
await using var api = await KubernetesApiDouble.StartAsync();
api.BookmarkInterval = TimeSpan.FromMinutes(1);
api.MaxHistory = 100_000;
Console.WriteLine("listening " + api.Host);

var names = new Queue<(string Namespace, string Name)>();
var recent = new List<(string Namespace, string Name)>();
var reasons = new[] { "Scheduled", "Pulling", "Pulled", "Created", "Started", "BackOff", "Unhealthy", "Killing" };
var clock = Stopwatch.StartNew();
long made = 0;
while (!stop.IsCancellationRequested)
{
    // Catch up to the wall clock in small steps, so the rate holds however long each step takes.
    var due = (long)(clock.Elapsed.TotalSeconds * rate);
    for (; made < due; made++)
    {
        if (made % 3 == 2 && recent.Count > 0)
        {
            var (ns, name) = recent[(int)(made % recent.Count)];
            api.UpdateEvent(ns, name, "Back-off restarting failed container app in pod " + name);
            continue;
        }

        var created = api.AddEvent(
            "team-" + (made % namespaces).ToString(CultureInfo.InvariantCulture),
            reason: reasons[made % reasons.Length],
            type: made % 5 == 0 ? "Warning" : "Normal");
        var key = (created["metadata"]!["namespace"]!.GetValue<string>(), created["metadata"]!["name"]!.GetValue<string>());
        names.Enqueue(key);
        recent.Add(key);
        if (recent.Count > 100)
        {
            recent.RemoveAt(0);
        }

        if (names.Count > live)
        {
            var (ns, name) = names.Dequeue();
            recent.Remove((ns, name));
            api.DeleteEvent(ns, name);
        }
    }

    try
    {
        await Task.Delay(10, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
