namespace Shared.Aws;

/// <summary>
/// An SQS queue's ARN (<c>arn:aws:sqs:eu-west-1:123456789012:my-queue</c>), as Lambda puts it in every record's
/// <c>eventSourceARN</c>, and the queue URL it stands for.
/// </summary>
/// <param name="Partition">aws, aws-cn, aws-us-gov, ...</param>
/// <param name="Region">AWS region the queue lives in, e.g. <c>eu-west-1</c>; picks the SQS endpoint of <see cref="QueueUrl"/>.</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="QueueName">Last part of the ARN, e.g. <c>my-queue</c> (<c>.fifo</c> included for a FIFO queue); the last segment of <see cref="QueueUrl"/>.</param>
public sealed record SqsQueueArn(string Partition, string Region, string AccountId, string QueueName)
{
    /// <summary>Reads an SQS queue ARN; false for anything else (another service, a missing part).</summary>
    public static bool TryParse(string? arn, out SqsQueueArn? queue)
    {
        queue = null;
        var parts = arn?.Split(':');
        if (parts is not { Length: 6 } || parts[0] != "arn" || parts[2] != "sqs" || parts.Any(string.IsNullOrWhiteSpace))
        {
            return false;
        }

        queue = new SqsQueueArn(parts[1], parts[3], parts[4], parts[5]);
        return true;
    }

    /// <summary>
    /// The queue URL SQS documents for this queue: <c>https://sqs.&lt;region&gt;.amazonaws.com/&lt;account&gt;/&lt;name&gt;</c>
    /// (<c>.amazonaws.com.cn</c> in China). SQS takes it as <c>QueueUrl</c> whichever endpoint the request is sent to.
    /// </summary>
    public string QueueUrl =>
        $"https://sqs.{Region}.{(Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/{AccountId}/{QueueName}";

    /// <summary>True when <paramref name="queueUrl"/> names this queue: the same account and name in its path.</summary>
    public bool IsNamedBy(string queueUrl)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        if (!Uri.TryCreate(queueUrl, UriKind.Absolute, out var url))
        {
            return false;
        }

        var segments = url.AbsolutePath.Trim('/').Split('/');
        return segments.Length >= 2 && segments[^1] == QueueName && segments[^2] == AccountId;
    }
}
