using System.Net;

namespace Shared.Aws;

/// <summary>
/// An AWS service answered a call with an error, or with something that is not its answer. The message names
/// the service, the operation, the endpoint, the HTTP status, the error code and the service's own message,
/// because that line in a log or an init error is what an operator sees.
/// </summary>
public sealed class AwsServiceException : Exception
{
    // The codes the AWS SDKs' standard retry mode treats as throttling, plus SSM's TooManyUpdates.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "TooManyUpdates",
    };

    // Codes the SDKs retry as transient whatever the status.
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
    };

    /// <summary>For serializers and frameworks only: carries no status or error code, so it is neither throttling nor transient.</summary>
    public AwsServiceException()
        : this("An AWS call failed.")
    {
    }

    /// <summary>A failure without an answer to read (status 0, no error code); <paramref name="message"/> names the call.</summary>
    public AwsServiceException(string message)
        : base(message)
    {
    }

    /// <summary>A failure caused by <paramref name="innerException"/> (e.g. an unreadable answer) with no status or error code.</summary>
    public AwsServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with what the answer said.</summary>
    public AwsServiceException(string message, HttpStatusCode statusCode, string errorCode, string? requestId, Exception? innerException = null)
        : this(message, statusCode, errorCode, queryErrorCode: null, requestId, innerException)
    {
    }

    /// <summary>Creates the exception with what the answer said, including the query-protocol code an awsQueryCompatible service (SQS) sends beside the JSON one.</summary>
    public AwsServiceException(string message, HttpStatusCode statusCode, string errorCode, string? queryErrorCode, string? requestId, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        QueryErrorCode = queryErrorCode;
        RequestId = requestId;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The AWS error code (the bare shape name, e.g. <c>ThrottlingException</c>, <c>AccessDeniedException</c>).</summary>
    public string ErrorCode { get; } = "";

    /// <summary>
    /// The legacy query-protocol code an awsQueryCompatible service (SQS) also sends in <c>x-amzn-query-error</c>,
    /// e.g. <c>AWS.SimpleQueueService.NonExistentQueue</c> or <c>KMS.ThrottlingException</c>; null when there was none.
    /// </summary>
    public string? QueryErrorCode { get; }

    /// <summary>The <c>x-amzn-RequestId</c> of the answer, if any.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// The service refused the call for its rate: worth trying again after a pause. The query code counts too, by
    /// its last part: SQS reports a throttled KMS key as <c>KmsThrottled</c> with <c>KMS.ThrottlingException</c>.
    /// </summary>
    public bool IsThrottling =>
        StatusCode == HttpStatusCode.TooManyRequests
        || ThrottlingCodes.Contains(ErrorCode)
        || (QueryErrorCode is { } query && ThrottlingCodes.Contains(query[(query.LastIndexOf('.') + 1)..]));

    /// <summary>The service failed on its side (a 5xx or a transient code): worth trying again.</summary>
    public bool IsTransient => (int)StatusCode >= 500 || TransientCodes.Contains(ErrorCode);
}
