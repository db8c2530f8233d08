using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TestSupport.Lambda;

/// <summary>
/// The records Lambda sends to an asynchronous invocation's on-failure destination, written as Lambda writes them
/// (the developer guide's "Example invocation record"): <c>version</c> 1.0, <c>timestamp</c>, <c>requestContext</c>
/// with <c>requestId</c>, <c>functionArn</c> (with <c>:$LATEST</c>), <c>condition</c> and <c>approximateInvokeCount</c>,
/// the event unchanged as <c>requestPayload</c>, <c>responseContext</c>, and the last error as <c>responsePayload</c>.
/// </summary>
public static class InvocationRecords
{
    /// <summary>The record for an event that failed every attempt, or aged out (<c>EventAgeExceeded</c>).</summary>
    /// <param name="payload">The event the function was invoked with (JSON).</param>
    /// <param name="timestamp">When Lambda gave up.</param>
    /// <param name="errorPayload">The function's last error answer (JSON or text), as <c>responsePayload</c>.</param>
    /// <param name="condition"><c>RetriesExhausted</c> or <c>EventAgeExceeded</c>.</param>
    /// <param name="invokeCount">Attempts made.</param>
    /// <param name="requestId">The invocation's request id.</param>
    /// <param name="functionArn">The function's unqualified ARN.</param>
    public static string OnFailure(
        ReadOnlySpan<byte> payload,
        DateTimeOffset timestamp,
        ReadOnlySpan<byte> errorPayload = default,
        string condition = "RetriesExhausted",
        int invokeCount = 3,
        string? requestId = null,
        string functionArn = "arn:aws:lambda:us-east-1:123456789012:function:control-plane-logs")
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("version", "1.0");
            writer.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            writer.WriteStartObject("requestContext");
            writer.WriteString("requestId", requestId ?? Guid.NewGuid().ToString());
            writer.WriteString("functionArn", functionArn + ":$LATEST");
            writer.WriteString("condition", condition);
            writer.WriteNumber("approximateInvokeCount", invokeCount);
            writer.WriteEndObject();
            writer.WritePropertyName("requestPayload");
            writer.WriteRawValue(payload);
            writer.WriteStartObject("responseContext");
            writer.WriteNumber("statusCode", 200);
            writer.WriteString("executedVersion", "$LATEST");
            writer.WriteString("functionError", "Unhandled");
            writer.WriteEndObject();
            writer.WritePropertyName("responsePayload");
            try
            {
                using var error = JsonDocument.Parse(errorPayload.IsEmpty ? "{\"errorMessage\":\"Task timed out\",\"errorType\":\"Sandbox.Timedout\"}"u8.ToArray() : errorPayload.ToArray());
                error.RootElement.WriteTo(writer);
            }
            catch (JsonException)
            {
                writer.WriteStringValue(Encoding.UTF8.GetString(errorPayload));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
