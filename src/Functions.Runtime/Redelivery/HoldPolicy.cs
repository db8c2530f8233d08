using Functions.Runtime.Settings;
using Shared.Aws;

namespace Functions.Runtime.Redelivery;

/// <summary>
/// How long work that fails for transient reasons is held, and how far apart its attempts are. Each copy waits
/// twice as long as the one before (<see cref="FirstDelay"/>, doubled per generation, capped at <see cref="MaxDelay"/>,
/// itself at most SQS's 15 minutes); once the first failure is <see cref="HoldWindow"/> old the work is no longer
/// held and takes the queue's normal path to its dead-letter queue. The window is 72 hours by default, the time
/// OpenSearch Ingestion keeps a buffer for an unavailable sink: the same promise for the same outage.
/// </summary>
public sealed record HoldPolicy
{
    /// <summary><see cref="HoldWindow"/> when OUTAGE_HOLD_HOURS is unset: 72 hours, an outage over a long weekend.</summary>
    public static readonly TimeSpan DefaultHoldWindow = TimeSpan.FromHours(72);

    /// <summary><see cref="FirstDelay"/> when REQUEUE_DELAY_SECONDS is unset: 30 seconds, long enough for a throttled domain to recover.</summary>
    public static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="MaxDelay"/>: SQS's longest delay.</summary>
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(SqsOutgoingMessage.MaxDelaySeconds);

    /// <summary>How long after its first transient failure work is still held (OUTAGE_HOLD_HOURS); zero holds nothing.</summary>
    public TimeSpan HoldWindow { get; init; } = DefaultHoldWindow;

    /// <summary>The delay of the first copy (REQUEUE_DELAY_SECONDS).</summary>
    public TimeSpan FirstDelay { get; init; } = DefaultFirstDelay;

    /// <summary>The longest delay of a copy (REQUEUE_MAX_DELAY_SECONDS).</summary>
    public TimeSpan MaxDelay { get; init; } = DefaultMaxDelay;

    /// <summary>The policy the settings describe.</summary>
    public static HoldPolicy From(FunctionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new HoldPolicy { HoldWindow = settings.OutageHold, FirstDelay = settings.RequeueDelay, MaxDelay = settings.RequeueMaxDelay };
    }

    /// <summary>True while work that first failed at <paramref name="firstFailedAt"/> is still held.</summary>
    public bool Holds(DateTimeOffset firstFailedAt, DateTimeOffset now) => now - firstFailedAt < HoldWindow;

    /// <summary>The delay of copy number <paramref name="generation"/> (1 for the first), in whole seconds.</summary>
    public int DelaySeconds(int generation)
    {
        var cap = Math.Min(MaxDelay.TotalSeconds, SqsOutgoingMessage.MaxDelaySeconds);
        var doubled = FirstDelay.TotalSeconds * Math.Pow(2, Math.Clamp(generation - 1, 0, 30));
        return (int)Math.Ceiling(Math.Clamp(doubled, 0, cap));
    }
}
