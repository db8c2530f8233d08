using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// The error in an AWS JSON-protocol answer: <c>{"__type":"com.amazonaws.ssm#ThrottlingException","message":"Rate exceeded"}</c>,
/// the code possibly also in the <c>X-Amzn-Errortype</c> header (which wins, as in the SDKs) and the message
/// as <c>message</c> or <c>Message</c>. An XML error document (moto answers authentication failures that way)
/// or a proxy's page is read as well as it can be, so the operator still sees what came back. Services in
/// the awsQueryCompatible mode (SQS) also send their older query-protocol code in <c>x-amzn-query-error</c>
/// (<c>AWS.SimpleQueueService.NonExistentQueue;Sender</c>); it is kept beside the JSON code.
/// </summary>
/// <param name="Code">The bare error code (<c>ThrottlingException</c>), or <c>Unknown</c>.</param>
/// <param name="Message">The service's message, or an excerpt of the answer; possibly empty.</param>
/// <param name="RequestId">The <c>x-amzn-RequestId</c> of the answer, for a support case.</param>
/// <param name="QueryCode">The query-protocol code from <c>x-amzn-query-error</c> without its fault part (<c>AWS.SimpleQueueService.NonExistentQueue</c>), or null.</param>
public sealed record AwsError(string Code, string Message, string? RequestId, string? QueryCode = null)
{
    private const int ExcerptLength = 300;

    /// <summary>Reads the error from an answer's headers and body.</summary>
    public static AwsError Read(HttpResponseHeaders headers, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var code = Header(headers, "X-Amzn-Errortype");
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.ValueSpan;
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (name.SequenceEqual("__type"u8) || name.SequenceEqual("code"u8)))
                    {
                        code ??= reader.GetString();
                    }
                    else if (reader.TokenType == JsonTokenType.String && (name.SequenceEqual("message"u8) || name.SequenceEqual("Message"u8)))
                    {
                        message ??= reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: an XML error document or a proxy's page.
            var document = Encoding.UTF8.GetString(body);
            code ??= Between(document, "<Code>", "</Code>");
            message ??= Between(document, "<Message>", "</Message>") ?? Excerpt(document);
        }

        return new AwsError(
            BareCode(code) ?? "Unknown",
            message ?? Excerpt(Encoding.UTF8.GetString(body)),
            Header(headers, "x-amzn-RequestId"),
            QueryCodeOf(Header(headers, "x-amzn-query-error")));
    }

    /// <summary>
    /// The bare shape name: <c>com.amazonaws.sqs#QueueDoesNotExist</c> → <c>QueueDoesNotExist</c>,
    /// <c>ThrottlingException:http://internal.amazon.com/coral/...</c> → <c>ThrottlingException</c>.
    /// </summary>
    public static string? BareCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        code = (hash >= 0 ? code[(hash + 1)..] : code).Trim();
        return code.Length == 0 ? null : code;
    }

    /// <summary>The first value of a response header, or null.</summary>
    public static string? Header(HttpResponseHeaders headers, string name)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }

    // "AWS.SimpleQueueService.NonExistentQueue;Sender": the code, then who is at fault.
    private static string? QueryCodeOf(string? header)
    {
        var code = header?.Split(';')[0].Trim();
        return string.IsNullOrEmpty(code) ? null : code;
    }

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return to < 0 ? null : System.Net.WebUtility.HtmlDecode(text[from..to]);
    }

    private static string Excerpt(string text)
    {
        text = text.Trim();
        return text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";
    }
}
