namespace Shared.Aws;

/// <summary>A successful REST-JSON answer.</summary>
/// <param name="Status">The HTTP status (2xx).</param>
/// <param name="Body">The answer's bytes.</param>
/// <param name="FunctionError">Lambda's <c>X-Amz-Function-Error</c> when an invoked function failed (its answer is then the error document), else null.</param>
public sealed record AwsRestResponse(int Status, byte[] Body, string? FunctionError);
