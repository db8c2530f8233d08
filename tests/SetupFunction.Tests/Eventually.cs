using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace SetupFunction.Tests;

/// <summary>
/// Waits for an observable condition with a generous bound, and moves fake time until something that waits on
/// it happens, without counting on how long either takes.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Bound)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Advances <paramref name="time"/> a second at a time until <paramref name="condition"/> holds.</summary>
    public static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Bound)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }
}
