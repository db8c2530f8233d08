using System.Net;

namespace Collector.Sending;

/// <summary>
/// SQS answered a request with an error (throttling, a missing queue, expired credentials, a 5xx...) or with
/// something unreadable. None of the batch was accepted; the sender retries it with backoff. The message
/// names the queue, the HTTP status, the AWS error code and SQS's own message, because that line in the log is
/// what an operator sees.
/// </summary>
public sealed class SqsRequestException : Exception
{
    public SqsRequestException()
    {
    }

    public SqsRequestException(string message)
        : base(message)
    {
    }

    public SqsRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SqsRequestException(string message, HttpStatusCode statusCode, string errorCode, string? queryErrorCode, string? requestId, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        QueryErrorCode = queryErrorCode;
        RequestId = requestId;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The AWS error code (the shape name of the JSON protocol, e.g. <c>QueueDoesNotExist</c>, <c>ThrottlingException</c>).</summary>
    public string ErrorCode { get; } = "";

    /// <summary>The legacy query-protocol code SQS also sends (e.g. <c>AWS.SimpleQueueService.NonExistentQueue</c>), if any.</summary>
    public string? QueryErrorCode { get; }

    /// <summary>The <c>x-amzn-RequestId</c> of the answer, for a support case.</summary>
    public string? RequestId { get; }
}
