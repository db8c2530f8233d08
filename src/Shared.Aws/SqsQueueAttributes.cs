using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// SQS's <c>GetQueueUrl</c> (<c>{"QueueName":"..."}</c> → <c>{"QueueUrl":"..."}</c>) and <c>GetQueueAttributes</c>
/// (<c>{"QueueUrl":"...","AttributeNames":[...]}</c> → <c>{"Attributes":{"ApproximateNumberOfMessages":"3",...}}</c>, every
/// value a string) in the JSON protocol.
/// </summary>
public sealed class SqsQueueAttributes(AwsJsonClient sqs)
{
    /// <summary>The error code of a queue that does not exist (<c>AWS.SimpleQueueService.NonExistentQueue</c> in the query protocol).</summary>
    public const string QueueDoesNotExist = "QueueDoesNotExist";

    /// <summary>The URL of the queue named <paramref name="queueName"/>, or null when there is no such queue.</summary>
    /// <exception cref="AwsServiceException">SQS refused the call for another reason.</exception>
    public async Task<string?> UrlOfAsync(string queueName, CancellationToken cancellationToken)
    {
        try
        {
            return await sqs.InvokeAsync("GetQueueUrl", Body(writer => writer.WriteString("QueueName"u8, queueName)), ReadUrl, cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode is QueueDoesNotExist or "NonExistentQueue" or "AWS.SimpleQueueService.NonExistentQueue")
        {
            return null;
        }
    }

    /// <summary>The named attributes of the queue, as numbers (the approximate counts and ages SQS keeps).</summary>
    /// <exception cref="AwsServiceException">SQS refused the call.</exception>
    public Task<IReadOnlyDictionary<string, long>> CountsAsync(string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken) =>
        sqs.InvokeAsync("GetQueueAttributes", Body(writer =>
        {
            writer.WriteString("QueueUrl"u8, queueUrl);
            writer.WriteStartArray("AttributeNames"u8);
            foreach (var name in attributeNames)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }), ReadCounts, cancellationToken);

    private static ReadOnlyMemory<byte> Body(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static string ReadUrl(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetProperty("QueueUrl").GetString()
            ?? throw new JsonException("The GetQueueUrl answer has no QueueUrl.");
    }

    private static IReadOnlyDictionary<string, long> ReadCounts(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (document.RootElement.TryGetProperty("Attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
        {
            foreach (var attribute in attributes.EnumerateObject())
            {
                if (attribute.Value.ValueKind == JsonValueKind.String
                    && long.TryParse(attribute.Value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                {
                    counts[attribute.Name] = value;
                }
            }
        }

        return counts;
    }
}
