namespace Shared.OpenSearch;

/// <summary>The outcome of a <see cref="IBulkWriter.WriteAsync"/> call: one entry per item, in the order given.</summary>
public sealed class BulkResult(BulkItemOutcome[] outcomes, int retries, int requests, TimeSpan elapsed)
{
    /// <summary>One outcome per item, aligned with the input list.</summary>
    public IReadOnlyList<BulkItemOutcome> Outcomes { get; } = outcomes;

    /// <summary>How many documents were sent again after a transient fault.</summary>
    public int Retries { get; } = retries;

    /// <summary>How many HTTP requests were made (bulk and template).</summary>
    public int Requests { get; } = requests;

    /// <summary>Wall time spent, waits between retries included.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>Documents stored (indexed, or beaten by a newer version).</summary>
    public int StoredCount => Outcomes.Count(o => o.IsStored);

    /// <summary>Documents not stored, for whatever reason.</summary>
    public int FailedCount => Outcomes.Count - StoredCount;
}
