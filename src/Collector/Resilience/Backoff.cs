namespace Collector.Resilience;

/// <summary>
/// Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so replicas that
/// failed together do not retry together, yet no delay is shorter than half the step.
/// </summary>
public static class Backoff
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(200);

    public static TimeSpan Delay(int attempt, TimeSpan max)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var step = Math.Min(max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((step / 2) + (Random.Shared.NextDouble() * step / 2));
    }
}
