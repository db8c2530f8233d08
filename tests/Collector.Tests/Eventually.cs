using System.Diagnostics;

namespace Collector.Tests;

/// <summary>
/// Polls an observable condition with a generous bound: how tests wait for another thread or process to react,
/// without counting on how long that takes.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    public static async Task TrueAsync(Func<bool> condition, Func<string> what, TimeSpan? within = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > (within ?? DefaultBound))
            {
                Assert.Fail("Timed out waiting for " + what());
            }

            await Task.Delay(2);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) => TrueAsync(condition, () => what, within);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > (within ?? DefaultBound))
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(2);
        }
    }
}
