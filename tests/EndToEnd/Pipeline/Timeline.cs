using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EndToEnd.Tests.Pipeline;

/// <summary>Samples a scenario's counters at a fixed interval, so a reader can see each fault phase's effect.</summary>
public sealed class Timeline(string header, Func<string> sample)
{
    private readonly ConcurrentQueue<string> _rows = new();

    /// <summary>The header and one row per sample, each row starting with the seconds since the start.</summary>
    public IEnumerable<string> Rows => new[] { "t_s " + header }.Concat(_rows);

    /// <summary>Samples until cancelled.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested)
        {
            _rows.Enqueue(clock.Elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture).PadLeft(3) + " " + sample());
            try
            {
                await Task.Delay(every, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
