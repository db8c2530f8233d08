namespace Shared.Aws;

/// <summary>
/// Lambda's <c>Invoke</c> (<c>POST /2015-03-31/functions/{name}/invocations</c>, <c>X-Amz-Invocation-Type:
/// RequestResponse</c>): runs a function and returns what it answered. A function that failed still answers
/// HTTP 200, with <c>X-Amz-Function-Error</c> set and its error document as the payload.
/// </summary>
public sealed class LambdaInvoker(AwsRestJsonClient lambda)
{
    /// <summary>Invokes <paramref name="functionName"/> (a name, not an ARN) synchronously with <paramref name="payload"/>.</summary>
    /// <exception cref="AwsServiceException">Lambda refused the invocation (no such function, no permission, throttled).</exception>
    public async Task<AwsRestResponse> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        await lambda.SendAsync(
            HttpMethod.Post,
            $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations",
            payload,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["x-amz-invocation-type"] = "RequestResponse" },
            cancellationToken);
}
