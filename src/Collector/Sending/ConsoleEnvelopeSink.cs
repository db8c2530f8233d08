using Collector.Packing;

namespace Collector.Sending;

/// <summary>
/// The <c>--dry-run</c> destination: each envelope as one line on stdout, exactly the body SQS would get.
/// </summary>
public sealed class ConsoleEnvelopeSink(Stream output) : IEnvelopeSink
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var envelope in batch)
        {
            await output.WriteAsync(envelope.Body, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return [];
    }
}
