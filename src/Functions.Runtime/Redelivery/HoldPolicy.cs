using Functions.Runtime.Settings;
using Shared.Aws;

namespace Functions.Runtime.Redelivery;

/// <summary>
/// How long work that fails for transient reasons is held, and how far apart its attempts are. Each copy waits
/// twice as long as the one before (<see cref="FirstDelay"/>, doubled per generation, capped at <see cref="MaxDelay"/>,
/// itself at most SQS's 15 minutes); once the first failure is <see cref="HoldWindow"/> old the work is no longer
/// held and takes the queue's normal path to its dead-letter queue. The values come from the settings
/// (<see cref="From"/>), which hold the defaults: 72 hours, the time OpenSearch Ingestion keeps a buffer for an
/// unavailable sink, first copy after 30 seconds, at most 15 minutes apart.
/// </summary>
public sealed record HoldPolicy
{
    /// <summary>How long after its first transient failure work is still held (OUTAGE_HOLD_HOURS); zero holds nothing.</summary>
    public required TimeSpan HoldWindow { get; init; }

    /// <summary>The delay of the first copy (REQUEUE_DELAY_SECONDS).</summary>
    public required TimeSpan FirstDelay { get; init; }

    /// <summary>The longest delay of a copy (REQUEUE_MAX_DELAY_SECONDS).</summary>
    public required TimeSpan MaxDelay { get; init; }

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
