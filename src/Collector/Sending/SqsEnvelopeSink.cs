using System.Globalization;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using Collector.Packing;

namespace Collector.Sending;

/// <summary>
/// Sends envelopes with one <c>SendMessageBatch</c> per call. Entry ids are the batch indexes, so a partial
/// failure maps straight back to the envelopes to retry.
/// </summary>
public sealed class SqsEnvelopeSink(IAmazonSQS sqs, Uri queueUrl) : IEnvelopeSink
{
    private readonly string _queueUrl = queueUrl?.ToString() ?? throw new ArgumentNullException(nameof(queueUrl));

    public async Task<IReadOnlyList<SendFailure>> SendBatchAsync(IReadOnlyList<Envelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var request = new SendMessageBatchRequest { QueueUrl = _queueUrl, Entries = new List<SendMessageBatchRequestEntry>(batch.Count) };
        for (var i = 0; i < batch.Count; i++)
        {
            request.Entries.Add(new SendMessageBatchRequestEntry
            {
                Id = i.ToString(CultureInfo.InvariantCulture),
                MessageBody = Encoding.UTF8.GetString(batch[i].Body.Span),
            });
        }

        var response = await sqs.SendMessageBatchAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Failed is not { Count: > 0 } failed)
        {
            return [];
        }

        return failed
            .Select(f => new SendFailure(int.Parse(f.Id, NumberStyles.None, CultureInfo.InvariantCulture), f.Code ?? "", f.Message ?? ""))
            .ToList();
    }
}
