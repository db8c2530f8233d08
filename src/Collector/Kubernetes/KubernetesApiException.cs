namespace Collector.Kubernetes;

/// <summary>The API server answered with an error status (its body a meta/v1 Status when it sent one).</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubernetesApiException(int statusCode, ApiStatus? status)
        : base($"The Kubernetes API answered {statusCode} {status?.Reason}: {status?.Message}")
    {
        StatusCode = statusCode;
        Status = status;
    }

    public int StatusCode { get; }

    public ApiStatus? Status { get; }

    /// <summary>410 Gone / reason Expired: the requested resourceVersion (or continue token) was compacted away.</summary>
    public bool IsExpired => StatusCode == 410 || Status?.Code == 410;
}
