using System.Globalization;
using Shared.Aws;
using Shared.Contract.Queue;

namespace Functions.Runtime.Redelivery;

/// <summary>
/// How often a message has already been re-queued and since when it has been failing, as its retry attributes
/// carry it (<see cref="QueueContract.RetryGenerationAttribute"/>, <see cref="QueueContract.RetryFirstFailedAtAttribute"/>).
/// A message that was never re-queued has generation 0 and no first failure.
/// </summary>
/// <param name="Generation">0 for an original message, n for the n-th copy.</param>
/// <param name="FirstFailedAt">When the message first failed for a transient reason, if it has.</param>
public readonly record struct RetryState(int Generation, DateTimeOffset? FirstFailedAt)
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>
    /// Reads the two attribute values. A value that does not parse (a producer's own attribute of the same name) is
    /// taken as absent: the worst that does is a message held a little longer or shorter, never one lost.
    /// </summary>
    public static RetryState Read(string? generation, string? firstFailedAt) => new(
        int.TryParse(generation, NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 0,
        DateTimeOffset.TryParse(firstFailedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null);

    /// <summary>The attributes of the next copy: generation one more, the first failure kept (or now, for the first copy).</summary>
    public IReadOnlyList<SqsMessageAttribute> NextAttributes(DateTimeOffset now) =>
    [
        new(QueueContract.RetryGenerationAttribute, QueueContract.NumberDataType, (Generation + 1).ToString(CultureInfo.InvariantCulture)),
        new(QueueContract.RetryFirstFailedAtAttribute, QueueContract.StringDataType, (FirstFailedAt ?? now).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)),
    ];
}
