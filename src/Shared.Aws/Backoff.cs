namespace Shared.Aws;

/// <summary>
/// The one retry delay rule of the collector, the OpenSearch writer and the SSM credentials: capped exponential
/// backoff with "equal jitter". The step doubles from <see cref="Initial"/> each attempt up to <see cref="Max"/>;
/// half of it is fixed and half random, so callers that failed together (replicas, concurrent functions) do not
/// retry together, yet no delay is shorter than half the step.
/// </summary>
/// <param name="Initial">The step of the first attempt (attempt 0).</param>
/// <param name="Max">The largest step: no delay is longer.</param>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max)
{
    // 2^30 steps of even a millisecond exceed any sensible cap; the clamp keeps the power finite.
    private const int MaxExponent = 30;

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 for the first), jittered by <see cref="Random.Shared"/>.</summary>
    public TimeSpan Delay(int attempt) => Delay(attempt, Random.Shared);

    /// <summary>The delay before retry number <paramref name="attempt"/>, jittered by <paramref name="random"/> (tests pass a seeded one).</summary>
    public TimeSpan Delay(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Clamp(attempt, 0, MaxExponent);
        var step = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((step / 2) + (random.NextDouble() * step / 2));
    }
}
