using Shared.Aws;

namespace Shared.OpenSearch;

/// <summary>How the bulk writer sizes requests and retries.</summary>
public sealed record BulkWriterOptions
{
    /// <summary>Largest request body in bytes (BULK_MAX_BYTES). A single larger document is sent alone.</summary>
    public int MaxBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>The retry delay: 200 ms for the first round, doubling up to 8 s, with jitter.</summary>
    public Backoff RetryBackoff { get; init; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(8));

    /// <summary>Most retry rounds per write, whatever the deadline.</summary>
    public int MaxRetryRounds { get; init; } = 20;

    /// <summary>
    /// Most requests one write spends narrowing down requests that OpenSearch refused as a whole as
    /// malformed. Finding k bad documents among n costs about 2·k·log2(n) (4 among 5,000: about 100);
    /// the bound is for a refusal no document causes, where every half would be refused again.
    /// </summary>
    public int MaxNarrowingRequests { get; init; } = 256;

    /// <summary>
    /// Whole-request refusals in a row (429/502/503/504, timeouts, connection failures) after which the domain is
    /// taken to be unavailable and the write gives up instead of retrying until the deadline: about 2 s of backoff
    /// with the default delays. The work is then held by the caller (re-queued with a delay), so an outage costs
    /// short invocations rather than full ones. Once a write has given up, the next writes of the process give up
    /// at the first refusal, until the domain answers again.
    /// </summary>
    public int UnavailableAfterRefusals { get; init; } = 5;

    /// <summary>
    /// Time kept free before the deadline: no request starts and no wait ends later than this before it,
    /// so the function can still answer Lambda with what failed.
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How requests are authenticated (OPENSEARCH_AUTH): basic by default.</summary>
    public IRequestAuthenticator Authenticator { get; init; } = BasicRequestAuthenticator.Instance;

    /// <summary>Index templates installed once per process before the first write.</summary>
    public IReadOnlyList<IndexTemplate> Templates { get; init; } = [];
}
