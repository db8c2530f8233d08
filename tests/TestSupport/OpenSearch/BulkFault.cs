namespace TestSupport.OpenSearch;

/// <summary>Ways the double can fail a whole request, in the forms a real domain or its load balancer does.</summary>
public enum BulkFault
{
    /// <summary>503 Service Unavailable with an OpenSearch error body.</summary>
    ServiceUnavailable,

    /// <summary>429 Too Many Requests (es_rejected_execution_exception).</summary>
    TooManyRequests,

    /// <summary>502 Bad Gateway, as the domain's load balancer sends it.</summary>
    BadGateway,

    /// <summary>504 Gateway Timeout.</summary>
    GatewayTimeout,

    /// <summary>The connection is closed without any response.</summary>
    DropConnection,

    /// <summary>500 with an internal error body; not retried as a whole request by clients that follow the spec.</summary>
    InternalServerError,
}
