using Collector.Packing;

namespace Collector.Sending;

/// <summary>
/// Where packed envelopes go. One call sends up to ten envelopes (one SendMessageBatch). The result names
/// the entries that were not accepted, so that only those are retried; a thrown exception means none was.
/// </summary>
public interface IEnvelopeSink
{
    Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken);
}
