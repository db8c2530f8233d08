using Shared.OpenSearch;

namespace Benchmarks.ControlPlane;

/// <summary>
/// An <see cref="IBulkWriter"/> that builds the <c>_bulk</c> bodies exactly as the real writer does and
/// answers that everything was indexed: the benchmark measures our CPU work, not a network.
/// </summary>
public sealed class BodyOnlyBulkWriter(int maxBytes) : IBulkWriter
{
    private readonly BulkRequestBody _body = new(maxBytes);

    /// <summary>Body bytes built so far.</summary>
    public long BodyBytes { get; private set; }

    /// <inheritdoc />
    public Task<BulkResult> WriteAsync(IReadOnlyList<BulkItem> items, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        _body.Clear();
        foreach (var item in items)
        {
            if (_body.Append(item, out _) == BulkAppendResult.Full)
            {
                BodyBytes += _body.Length;
                _body.Clear();
                _body.Append(item, out _);
            }
        }

        BodyBytes += _body.Length;
        var outcomes = new BulkItemOutcome[items.Count];
        Array.Fill(outcomes, new BulkItemOutcome(BulkItemStatus.Indexed, 201, null, null));
        return Task.FromResult(new BulkResult(outcomes, 0, 1, TimeSpan.Zero));
    }
}
