using System.Text.Json;
using Microsoft.Extensions.Logging;
using SetupFunction.Serialization;

namespace SetupFunction.CustomResources;

/// <summary>
/// Answers CloudFormation: PUTs the response JSON to the request's pre-signed <c>ResponseURL</c>, with no
/// <c>Content-Type</c> (the URL is signed without one, as AWS's own cfn-response module sends it), trimmed to the
/// documented 4096 bytes. Until the PUT succeeds the stack waits, for up to an hour, so a failed PUT is tried
/// again a few times, and after that the invocation fails so that Lambda retries the whole request.
/// </summary>
public sealed partial class CustomResourceResponder(HttpClient http, TimeProvider time, ILogger<CustomResourceResponder> logger)
{
    /// <summary>The largest response CloudFormation accepts.</summary>
    public const int MaxResponseBytes = 4096;

    /// <summary>Tries of the PUT before the invocation fails.</summary>
    public const int MaxAttempts = 3;

    private const int MaxTextLength = 1500;

    /// <summary>Builds the response for <paramref name="request"/> and PUTs it.</summary>
    /// <exception cref="HttpRequestException">Every try failed.</exception>
    public async Task<CustomResourceResponse> SendAsync(CustomResourceRequest request, bool success, string physicalResourceId, string status, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = Build(request, success, physicalResourceId, status, message);
        var body = JsonSerializer.SerializeToUtf8Bytes(response, SetupJsonContext.Default.CustomResourceResponse);
        var url = new Uri(request.ResponseUrl ?? throw new InvalidOperationException("The request has no ResponseURL."));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                using var answer = await http.PutAsync(url, content, cancellationToken);
                if (answer.IsSuccessStatusCode)
                {
                    LogAnswered(logger, response.Status, request.LogicalResourceId ?? string.Empty, message);
                    return response;
                }

                var text = await answer.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException($"The ResponseURL answered {(int)answer.StatusCode}: {text[..Math.Min(text.Length, 300)]}", null, answer.StatusCode);
            }
            catch (Exception ex) when (attempt < MaxAttempts && (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)))
            {
                LogRetrying(logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), time, cancellationToken);
            }
        }
    }

    /// <summary>The response document, its texts shortened so the whole stays under <see cref="MaxResponseBytes"/>.</summary>
    public static CustomResourceResponse Build(CustomResourceRequest request, bool success, string physicalResourceId, string status, string message)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var limit = MaxTextLength; ; limit /= 2)
        {
            var text = Shorten(message, limit);
            var response = new CustomResourceResponse
            {
                Status = success ? "SUCCESS" : "FAILED",
                Reason = text,
                PhysicalResourceId = physicalResourceId,
                StackId = request.StackId ?? string.Empty,
                RequestId = request.RequestId ?? string.Empty,
                LogicalResourceId = request.LogicalResourceId ?? string.Empty,
                Data = new Dictionary<string, string> { ["Status"] = status, ["Message"] = text },
            };
            if (JsonSerializer.SerializeToUtf8Bytes(response, SetupJsonContext.Default.CustomResourceResponse).Length <= MaxResponseBytes || limit < 64)
            {
                return response;
            }
        }
    }

    private static string Shorten(string text, int limit) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");

    [LoggerMessage(EventId = 830, Level = LogLevel.Information, Message = "Answered CloudFormation {Status} for {LogicalResourceId}: {Message}")]
    private static partial void LogAnswered(ILogger logger, string status, string logicalResourceId, string message);

    [LoggerMessage(EventId = 831, Level = LogLevel.Warning, Message = "PUT to the ResponseURL failed (try {Attempt}): {Error}; trying again")]
    private static partial void LogRetrying(ILogger logger, int attempt, string error);
}
