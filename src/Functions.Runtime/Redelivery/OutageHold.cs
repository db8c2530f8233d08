using Functions.Runtime.Settings;
using Microsoft.Extensions.Logging;
using Shared.Aws;
using Shared.Contract.Settings;

namespace Functions.Runtime.Redelivery;

/// <summary>
/// Holds work that failed for transient reasons through an outage, for both functions: instead of letting SQS
/// bring a message back until <c>maxReceiveCount</c> sends it to the dead-letter queue (about 30 minutes with the
/// deployed settings), the function sends a fresh copy of it to the queue it came from, delayed
/// (<see cref="HoldPolicy"/>) and marked with its generation and first failure, and reports the original as done
/// so that SQS deletes it. A copy starts with a receive count of zero, so an outage of any length up to the hold
/// window sends nothing good to a dead-letter queue, and when the domain is back the copies drain by themselves.
/// </summary>
/// <remarks>
/// Only a copy SQS confirmed lets the original go: a copy that could not be sent leaves its original a batch item
/// failure, which comes back after the visibility timeout as before. A crash or a timeout of the function re-queues
/// nothing, so receives still count for a message that kills the function: it is poison and is dead-lettered.
/// Past the hold window a message is left to that normal path too, so nothing is held forever.
/// </remarks>
public sealed partial class OutageHold
{
    // Kept free before the deadline for the answer to Lambda once the copies are sent.
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(500);

    private readonly SqsBatchSender _sender;
    private readonly HoldPolicy _policy;
    private readonly string? _sourceQueueUrl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>A hold that sends copies through <paramref name="sender"/> on the schedule of <paramref name="policy"/>; functions build theirs with <see cref="Create"/>, tests with their own sender and clock.</summary>
    /// <param name="sender">Sends the copies.</param>
    /// <param name="policy">The hold window and the delays.</param>
    /// <param name="sourceQueueUrl">SOURCE_QUEUE_URL: the URL of the queue the function consumes, used for records from
    /// that queue; records from another queue go back to the URL their <c>eventSourceARN</c> stands for.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public OutageHold(SqsBatchSender sender, HoldPolicy policy, string? sourceQueueUrl, TimeProvider time, ILogger<OutageHold> logger)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(policy);
        _sender = sender;
        _policy = policy;
        _sourceQueueUrl = sourceQueueUrl;
        _time = time;
        _logger = logger;
    }

    /// <summary>The policy in force.</summary>
    public HoldPolicy Policy => _policy;

    /// <summary>
    /// The deadline to give the work that may need holding: a tenth of the time left, at most 2 s, is kept back for
    /// sending the copies. Without it a slow domain could take all of every invocation's time, leave none for the
    /// copies, and turn each slow delivery into a receive that counts towards the DLQ.
    /// </summary>
    public static DateTimeOffset WorkDeadline(DateTimeOffset deadline, TimeSpan remaining) =>
        deadline - TimeSpan.FromTicks(Math.Clamp(remaining.Ticks / 10, 0, TimeSpan.FromSeconds(2).Ticks));

    /// <summary>
    /// The hold a function builds during init: SQS reached as the AWS SDKs would (<c>AWS_REGION</c>,
    /// <c>AWS_ENDPOINT_URL_SQS</c> or <c>AWS_ENDPOINT_URL</c>), the policy and queue from the settings.
    /// </summary>
    /// <exception cref="ConfigurationException">The region cannot be told, or an endpoint variable is not a URL.</exception>
    public static OutageHold Create(FunctionSettings settings, FunctionStartup startup)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(startup);
        var client = AwsJsonClient.Create(AwsService.Sqs, startup.Environment, new DefaultChainCredentials(), startup.Time);
        return new OutageHold(new SqsBatchSender(client), HoldPolicy.From(settings), settings.SourceQueueUrl, startup.Time, new Logger<OutageHold>(startup.LoggerFactory));
    }

    /// <summary>
    /// Re-queues every candidate still inside the hold window and says, per candidate, whether a copy is on its
    /// queue. Never throws for an SQS or network fault: such a candidate is simply not held.
    /// </summary>
    /// <param name="candidates">Messages whose failures are all transient.</param>
    /// <param name="deadline">The invocation's deadline; copies not sent well before it are not sent.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    public async Task<HoldResult> HoldAsync(IReadOnlyList<HoldCandidate> candidates, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var held = new bool[candidates.Count];
        var now = _time.GetUtcNow();
        var expired = 0;
        var notSent = 0;
        var copies = new Dictionary<string, List<(int Candidate, SqsOutgoingMessage Copy)>>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var firstFailed = candidate.Retry.FirstFailedAt ?? candidate.FirstFailedFallback ?? now;
            if (!_policy.Holds(firstFailed, now))
            {
                expired++;
                LogPastHoldWindow(_logger, candidate.MessageId, firstFailed, _policy.HoldWindow.TotalHours, candidate.Reason);
                continue;
            }

            if (QueueUrlOf(candidate.EventSourceArn) is not { } queueUrl)
            {
                notSent++;
                LogNoQueue(_logger, candidate.MessageId, candidate.EventSourceArn ?? "(none)");
                continue;
            }

            var generation = candidate.Retry.Generation + 1;
            var attributes = candidate.CarriedAttributes.Concat((candidate.Retry with { FirstFailedAt = firstFailed }).NextAttributes(now)).ToList();
            if (!copies.TryGetValue(queueUrl, out var list))
            {
                copies[queueUrl] = list = [];
            }

            list.Add((i, new SqsOutgoingMessage(candidate.Body, _policy.DelaySeconds(generation), attributes)));
        }

        var requeued = 0;
        foreach (var (queueUrl, list) in copies)
        {
            var outcomes = await SendAsync(queueUrl, list.Select(c => c.Copy).ToList(), deadline, cancellationToken);
            for (var k = 0; k < list.Count; k++)
            {
                var candidate = candidates[list[k].Candidate];
                if (outcomes[k].Accepted)
                {
                    held[list[k].Candidate] = true;
                    requeued++;
                    LogRequeued(_logger, candidate.MessageId, outcomes[k].MessageId ?? string.Empty, candidate.Retry.Generation + 1, list[k].Copy.DelaySeconds, candidate.Reason);
                }
                else
                {
                    notSent++;
                    LogNotRequeued(_logger, candidate.MessageId, outcomes[k].Code ?? string.Empty, outcomes[k].Message ?? string.Empty);
                }
            }
        }

        return new HoldResult(held, requeued, expired, notSent);
    }

    private string? QueueUrlOf(string? eventSourceArn)
    {
        if (!SqsQueueArn.TryParse(eventSourceArn, out var queue))
        {
            // Without an ARN only the configured queue can be meant (a test event, an older record shape).
            return eventSourceArn is null ? _sourceQueueUrl : null;
        }

        // The configured URL is the one SQS gave when the queue was made; the ARN's is the documented form, for a
        // mapping on a queue the configuration does not name.
        return _sourceQueueUrl is not null && queue!.IsNamedBy(_sourceQueueUrl) ? _sourceQueueUrl : queue!.QueueUrl;
    }

    private async Task<SqsSendOutcome[]> SendAsync(string queueUrl, List<SqsOutgoingMessage> copies, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var budget = deadline - AnswerMargin - _time.GetUtcNow();
        if (budget <= TimeSpan.Zero)
        {
            return [.. copies.Select(_ => new SqsSendOutcome(false, null, "DeadlineReached", "no time was left before the invocation's deadline to send the copy"))];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            return await _sender.SendAsync(queueUrl, copies, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [.. copies.Select(_ => new SqsSendOutcome(false, null, "DeadlineReached", $"SQS did not answer before the invocation's deadline ({queueUrl})"))];
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Message {MessageId} was not stored for a transient reason and is held: re-queued as {CopyId} (generation {Generation}, back in {DelaySeconds} s). Reason: {Reason}")]
    private static partial void LogRequeued(ILogger logger, string messageId, string copyId, int generation, int delaySeconds, string reason);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Message {MessageId} has been failing for transient reasons since {FirstFailedAt}, longer than the hold window of {HoldHours} h (OUTAGE_HOLD_HOURS): it is no longer held and takes the queue's normal path to the dead-letter queue. Reason: {Reason}")]
    private static partial void LogPastHoldWindow(ILogger logger, string messageId, DateTimeOffset firstFailedAt, double holdHours, string reason);

    [LoggerMessage(EventId = 602, Level = LogLevel.Error, Message = "Message {MessageId} could not be re-queued ({Code}: {Problem}); it stays a batch item failure and comes back after the visibility timeout")]
    private static partial void LogNotRequeued(ILogger logger, string messageId, string code, string problem);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Message {MessageId} came from '{EventSourceArn}', which is not an SQS queue ARN, and SOURCE_QUEUE_URL does not name it: it cannot be re-queued and stays a batch item failure")]
    private static partial void LogNoQueue(ILogger logger, string messageId, string eventSourceArn);
}
