using System.Text.Json.Serialization;

namespace Functions.Runtime;

/// <summary>The Lambda standard error document (<c>application/vnd.aws.lambda.error+json</c>).</summary>
public sealed class LambdaError
{
    /// <summary>A sentence that says what went wrong; never carries a secret.</summary>
    [JsonPropertyName("errorMessage")]
    public required string ErrorMessage { get; init; }

    /// <summary>The error's type, also sent as <c>Lambda-Runtime-Function-Error-Type</c>.</summary>
    [JsonPropertyName("errorType")]
    public required string ErrorType { get; init; }

    /// <summary>The stack, one frame per entry.</summary>
    [JsonPropertyName("stackTrace")]
    public IReadOnlyList<string> StackTrace { get; init; } = [];

    /// <summary>Describes an exception.</summary>
    public static LambdaError From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new LambdaError
        {
            ErrorMessage = exception.Message,
            ErrorType = exception.GetType().Name,
            StackTrace = exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        };
    }
}
