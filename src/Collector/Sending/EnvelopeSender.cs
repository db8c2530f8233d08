using System.Threading.Channels;
using Collector.Kubernetes;
using Collector.Observability;
using Collector.Packing;
using Collector.Settings;
using Microsoft.Extensions.Logging;
using Shared.Aws;
using Shared.Contract.Queue;

namespace Collector.Sending;

/// <summary>
/// Drains the buffer into envelopes and sends them, ten per batch. A message is sent when ten are full, when
/// the buffer has nothing more right now, or when the oldest unsent event has waited FLUSH_INTERVAL.
/// Failed entries, and only those, are retried with capped backoff until accepted: while a batch is being
/// retried the sender does not read the buffer, the buffer fills, and the watch waits. When the buffer
/// is completed (shutdown), everything left is packed and sent before <see cref="RunAsync"/> returns.
/// When nothing has been accepted for HEARTBEAT_INTERVAL and the collector is healthy, it sends an envelope
/// without events (or the open message, early), so the queue hears from a running leader even in a quiet
/// cluster. It tells <see cref="HealthState"/> when it has messages to send and when one is accepted; waiting
/// with nothing to send is not a stall.
/// </summary>
public sealed class EnvelopeSender(
    ChannelReader<ObservedEvent> input,
    IEnvelopeSink sink,
    CollectorSettings settings,
    CollectorMetrics metrics,
    HealthState health,
    TimeProvider time,
    ILogger logger)
{
    private readonly EnvelopePacker _packer = new(settings.ClusterName, settings.MaxMessageBytes);
    private readonly List<Envelope> _ready = [];
    private DateTimeOffset? _flushAt;
    private DateTimeOffset? _heartbeatAt;
    private IReadOnlyList<Envelope> _inFlight = [];

    /// <summary>
    /// Runs until the input is completed and drained. <paramref name="abortToken"/> is the hard deadline
    /// (the end of the pod's grace period): retries stop there and what is unsent is reported.
    /// </summary>
    public async Task RunAsync(CancellationToken abortToken)
    {
        ScheduleHeartbeat();
        try
        {
            while (true)
            {
                while (_ready.Count < QueueContract.MaxBatchEntries && input.TryRead(out var observed))
                {
                    Pack(observed);
                }

                metrics.BufferDepth.Set(input.CanCount ? input.Count : 0);
                if (_ready.Count >= QueueContract.MaxBatchEntries)
                {
                    await SendReadyAsync(abortToken).ConfigureAwait(false);
                    continue;
                }

                if (_flushAt is { } due && time.GetUtcNow() >= due)
                {
                    FlushOpen();
                }

                if (_ready.Count > 0)
                {
                    await SendReadyAsync(abortToken).ConfigureAwait(false);
                    continue;
                }

                if (_heartbeatAt is { } heartbeat && time.GetUtcNow() >= heartbeat && await HeartbeatAsync(abortToken).ConfigureAwait(false))
                {
                    continue;
                }

                // Nothing to send: waiting is not a stall.
                health.SendIdle();
                if (!await WaitForInputAsync(abortToken).ConfigureAwait(false))
                {
                    break;
                }
            }

            // The input is complete: ship the last partial message.
            if (_packer.Flush(_ready))
            {
                while (_ready.Count > 0)
                {
                    await SendReadyAsync(abortToken).ConfigureAwait(false);
                }
            }

            Log.Flushed(logger);
        }
        catch (OperationCanceledException) when (abortToken.IsCancellationRequested)
        {
            _packer.Flush(_ready);
            var unsent = _inFlight.Concat(_ready).ToList();
            Log.FlushAbandoned(logger, unsent.Count, unsent.Sum(e => e.EventCount) + (input.CanCount ? input.Count : 0));
        }
    }

    private void Pack(ObservedEvent observed)
    {
        var truncatedBefore = _packer.TruncatedCount;
        _packer.Add(observed, _ready);
        if (_packer.TruncatedCount != truncatedBefore)
        {
            metrics.EventsTruncated.Inc();
            Log.Truncated(logger, observed.Json.Length);
        }

        if (_packer.OpenEventCount > 0)
        {
            _flushAt ??= time.GetUtcNow() + settings.FlushInterval;
        }
    }

    private void FlushOpen()
    {
        _packer.Flush(_ready);
        _flushAt = null;
    }

    private void ScheduleHeartbeat() =>
        _heartbeatAt = settings.HeartbeatInterval > TimeSpan.Zero ? time.GetUtcNow() + settings.HeartbeatInterval : null;

    /// <summary>
    /// Nothing was accepted for HEARTBEAT_INTERVAL: sends the open message now if there is one, else an envelope
    /// without events. A collector that is not healthy (a silent watch) sends none, so that silence on the queue
    /// also tells of a stuck collector. True when something was sent.
    /// </summary>
    private async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        if (_packer.OpenEventCount > 0)
        {
            FlushOpen();
            await SendReadyAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (health.Problem() is not null)
        {
            ScheduleHeartbeat();
            return false;
        }

        _ready.Add(_packer.Heartbeat());
        await SendReadyAsync(cancellationToken).ConfigureAwait(false);
        metrics.HeartbeatsSent.Inc();
        return true;
    }

    /// <summary>Waits for more events, the flush deadline or the heartbeat; false when the input is complete and empty.</summary>
    private async Task<bool> WaitForInputAsync(CancellationToken cancellationToken)
    {
        var due = _flushAt is { } flush && (_heartbeatAt is not { } beat || flush <= beat) ? flush : _heartbeatAt;
        if (due is null)
        {
            if (await input.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            return false;
        }

        var remaining = due.Value - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return true;
        }

        using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var more = input.WaitToReadAsync(delayCancel.Token).AsTask();
        var delay = Task.Delay(remaining, time, delayCancel.Token);
        var first = await Task.WhenAny(more, delay).ConfigureAwait(false);
        await delayCancel.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == more && !await more.ConfigureAwait(false))
        {
            // Completed: let the caller flush what is open.
            return false;
        }

        return true;
    }

    /// <summary>Sends the first ready envelopes (at most ten and 1 MiB in total) until every one is accepted.</summary>
    private async Task SendReadyAsync(CancellationToken cancellationToken)
    {
        health.SendPending();
        var batch = TakeBatch();
        var attempt = 0;
        while (true)
        {
            _inFlight = batch;
            IReadOnlyList<SendFailure> failures;
            Exception? error = null;
            try
            {
                failures = await sink.SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Assume nothing was accepted: re-sending is safe (the indexer keeps one document per uid),
                // losing is not.
                error = ex;
                var code = ex is AwsServiceException aws ? aws.ErrorCode : ex.GetType().Name;
                failures = batch.Select((_, i) => new SendFailure(i, code, ex.Message)).ToList();
            }

            var failed = failures.Select(f => f.Index).ToHashSet();
            var accepted = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (!failed.Contains(i))
                {
                    accepted++;
                    metrics.EventsSent.Inc(batch[i].EventCount);
                }
            }

            if (accepted > 0)
            {
                metrics.MessagesSent.Inc(accepted);
                metrics.LastSuccessfulSend.Set(time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
                health.SendAccepted();
                ScheduleHeartbeat();
            }

            if (failed.Count == 0)
            {
                _inFlight = [];
                return;
            }

            metrics.SendFailures.Inc(failed.Count);
            // While the sender retries, the buffer behind it fills: keep the gauge true during an outage.
            metrics.BufferDepth.Set(input.CanCount ? input.Count : 0);
            var delay = settings.SendBackoff.Delay(attempt++);
            if (error is not null)
            {
                Log.SendFailed(logger, error, batch.Count, failures[0].Code, delay);
            }
            else
            {
                Log.SendPartlyFailed(logger, failed.Count, batch.Count, failures[0].Code, failures[0].Message, delay);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            metrics.SendRetries.Inc();
            batch = batch.Where((_, i) => failed.Contains(i)).ToList();
        }
    }

    private List<Envelope> TakeBatch()
    {
        // SQS caps a batch at ten entries and at 1 MiB in total, so big messages travel in smaller batches.
        var count = 0;
        var bytes = 0;
        while (count < _ready.Count && count < QueueContract.MaxBatchEntries && (count == 0 || bytes + _ready[count].Body.Length <= QueueContract.MaxMessageBytesLimit))
        {
            bytes += _ready[count].Body.Length;
            count++;
        }

        var batch = _ready.GetRange(0, count);
        _ready.RemoveRange(0, count);
        return batch;
    }
}
