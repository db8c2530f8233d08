using System.Net;

namespace DomainSetup.OpenSearch;

/// <summary>Status and body of one call.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string Body)
{
    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>Throws with the status and body unless the call succeeded.</summary>
    public ApiResponse EnsureSuccess(string what) => IsSuccess
        ? this
        : throw new InvalidOperationException($"{what} failed with {(int)Status} {Status}: {Body}");
}
