namespace Shared.Aws.Tests;

public sealed class BackoffTests
{
    private static readonly Backoff Policy = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(8));

    [Theory]
    [InlineData(0, 200)]
    [InlineData(1, 400)]
    [InlineData(2, 800)]
    [InlineData(5, 6400)]
    [InlineData(6, 8000)]
    [InlineData(30, 8000)]
    [InlineData(int.MaxValue, 8000)]
    public void Delay_AnyJitter_IsBetweenHalfTheStepAndTheStep(int attempt, double stepMs)
    {
        var random = new Random(12);
        for (var draw = 0; draw < 200; draw++)
        {
            var delay = Policy.Delay(attempt, random).TotalMilliseconds;

            Assert.InRange(delay, stepMs / 2, stepMs);
        }
    }

    [Fact]
    public void Delay_ExtremeJitter_ReachesBothEndsOfTheRange()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(400), Policy.Delay(2, new FixedRandom(0.0)));
        Assert.Equal(799.9, Policy.Delay(2, new FixedRandom(0.99975)).TotalMilliseconds, 3);
    }

    [Fact]
    public void Delay_NegativeAttempt_IsTheFirstStep()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), Policy.Delay(-3, new FixedRandom(0.0)));
    }

    [Fact]
    public void Delay_SameSeed_GivesTheSameDelays()
    {
        var first = Enumerable.Range(0, 10).Select(attempt => Policy.Delay(attempt, new Random(7))).ToList();
        var second = Enumerable.Range(0, 10).Select(attempt => Policy.Delay(attempt, new Random(7))).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Delay_CallersThatFailedTogether_DoNotRetryTogether()
    {
        var random = new Random(3);

        var delays = Enumerable.Range(0, 20).Select(_ => Policy.Delay(4, random)).ToHashSet();

        Assert.True(delays.Count > 15, $"only {delays.Count} distinct delays among 20 callers");
    }

    [Fact]
    public void Delay_MaxBelowInitial_NeverExceedsMax()
    {
        var capped = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));

        Assert.InRange(capped.Delay(0, new Random(1)).TotalMilliseconds, 10, 20);
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
