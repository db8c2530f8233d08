namespace Shared.OpenSearch.Failures;

/// <summary>
/// The one place that tells transient failures from permanent ones, for both functions (docs/reliability.md,
/// "The outage promise"). Everything that decides whether work is retried, held through an outage or
/// dead-lettered asks here:
/// <list type="bullet">
/// <item>transient — an item answered 429 or 5xx; a request answered 429, 502, 503 or 504 as a whole; a timeout
/// or a connection that could not be made or broke; 401 or 403 (a password being rotated, a role mapping being
/// fixed); any other refusal of a whole request (nothing in it was judged: a wrong path, a proxy); an index
/// template that could not be installed; the invocation's deadline reached first;</item>
/// <item>permanent — a message body that is not one of the accepted forms; an event that cannot become a
/// document; a delivery that cannot be decoded; a document OpenSearch refuses on its own (an item 4xx other
/// than a 409 version conflict, which means a newer copy is stored, and 429); a single document larger than
/// the domain accepts.</item>
/// </list>
/// A message or delivery with any permanent failure is permanent: it needs a human anyway, and the dead-letter
/// queue is where it is looked at.
/// </summary>
public static class FailureClassification
{
    /// <summary>What every failure found in the input itself is: malformed, unusable or undecodable.</summary>
    public const FailureKind OfInput = FailureKind.Permanent;

    /// <summary>The kind of a bulk item OpenSearch answered with a failure status (not 2xx, not a 409 version conflict).</summary>
    /// <param name="status">The item's HTTP status.</param>
    public static FailureKind OfRefusedItem(int status) =>
        status is 429 or >= 500 ? FailureKind.Transient : FailureKind.Permanent;

    /// <summary>
    /// True for the statuses of a whole request that mean "busy or restarting, try again soon" (429, 502, 503, 504):
    /// the writer retries these within the invocation. Every other whole-request refusal is transient too, but not
    /// worth retrying before the next delivery.
    /// </summary>
    /// <param name="status">The request's HTTP status.</param>
    public static bool IsBusyRequest(int status) => status is 429 or 502 or 503 or 504;

    /// <summary>Merges the failures of one message or delivery: any permanent failure makes it permanent.</summary>
    /// <param name="current">What was found so far, or null for nothing.</param>
    /// <param name="next">The failure just found.</param>
    public static FailureKind Merge(FailureKind? current, FailureKind next) =>
        current == FailureKind.Permanent || next == FailureKind.Permanent ? FailureKind.Permanent : FailureKind.Transient;
}
