using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TestSupport.Aws;

/// <summary>
/// An HttpMessageHandler that answers AWS JSON-protocol calls as the services document them, for the answers an
/// emulator cannot be made to give: per-entry failures, wrong MD5s, error documents in the plain JSON form and in
/// SQS's awsQueryCompatible form (<c>x-amzn-query-error</c>), 5xx, proxy pages, oversized bodies, and no answer
/// at all. A test queues answers with <see cref="Then(Func{Recorded, HttpResponseMessage})"/>; with none queued, a
/// <c>SendMessageBatch</c> gets every entry accepted with the MD5 of its body, anything else fails the test.
/// Every request is recorded as it went on the wire.
/// </summary>
public sealed class AwsAnsweringHandler : HttpMessageHandler
{
    private readonly Queue<Func<Recorded, CancellationToken, Task<HttpResponseMessage>>> _answers = new();

    /// <summary>The requests received, in order.</summary>
    public List<Recorded> Requests { get; } = [];

    /// <summary>The next request gets this answer (then the next queued one, or the default).</summary>
    public void Then(Func<Recorded, HttpResponseMessage> answer) => _answers.Enqueue((request, _) => Task.FromResult(answer(request)));

    /// <summary>The next request gets <paramref name="body"/> with <paramref name="status"/> and the given headers.</summary>
    public void Then(HttpStatusCode status, string body, params (string Name, string Value)[] headers) =>
        Then(_ =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
            foreach (var (name, value) in headers)
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        });

    /// <summary>The next request waits until it is cancelled (a service that never answers; the client's timeout ends it).</summary>
    public void ThenNoAnswer() => _answers.Enqueue(static async (_, cancellationToken) =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("Not reached: the delay ends only by cancellation.");
    });

    /// <summary>A SendMessageBatch result that accepts every entry, with <paramref name="md5"/> overriding the MD5 reported for some.</summary>
    public static HttpResponseMessage Accepted(IEnumerable<SqsEntry> entries, Func<SqsEntry, string>? md5 = null) =>
        Result(entries.Select(e => new JsonObject { ["Id"] = e.Id, ["MessageId"] = Guid.NewGuid().ToString(), ["MD5OfMessageBody"] = md5?.Invoke(e) ?? e.Md5 }), []);

    /// <summary>A SendMessageBatch result with the given Successful and Failed entries.</summary>
    public static HttpResponseMessage Result(IEnumerable<JsonObject> successful, IEnumerable<JsonObject> failed) =>
        Json(HttpStatusCode.OK, new JsonObject { ["Successful"] = new JsonArray([.. successful]), ["Failed"] = new JsonArray([.. failed]) });

    /// <summary>A Failed entry as SQS writes it.</summary>
    public static JsonObject Failure(string id, string code, string message, bool senderFault = false) =>
        new() { ["Id"] = id, ["SenderFault"] = senderFault, ["Code"] = code, ["Message"] = message };

    /// <summary>
    /// An error answer in the JSON protocol: the shape id (<c>com.amazonaws.sqs#QueueDoesNotExist</c>) in <c>__type</c>
    /// and the message in <c>message</c>. With <paramref name="queryError"/> it is SQS's awsQueryCompatible form: the
    /// legacy code and fault in <c>x-amzn-query-error</c> (<c>AWS.SimpleQueueService.NonExistentQueue;Sender</c>).
    /// </summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string shapeNamespace, string shape, string message, string? queryError = null)
    {
        var response = Json(status, new JsonObject { ["__type"] = shapeNamespace + "#" + shape, ["message"] = message });
        if (queryError is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-query-error", queryError);
        }

        return response;
    }

    /// <summary>An SQS error answer (<see cref="Error"/> with the <c>com.amazonaws.sqs</c> namespace).</summary>
    public static HttpResponseMessage SqsError(HttpStatusCode status, string shape, string message, string? queryError = null) =>
        Error(status, "com.amazonaws.sqs", shape, message, queryError);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new Recorded(request.Method, request.RequestUri!, headers, body);
        Requests.Add(recorded);
        if (_answers.TryDequeue(out var answer))
        {
            return await answer(recorded, cancellationToken);
        }

        return recorded.Operation == "AmazonSQS.SendMessageBatch"
            ? Accepted(recorded.Entries)
            : throw new InvalidOperationException($"No answer queued for {recorded.Operation}.");
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", Guid.NewGuid().ToString());
        return response;
    }

    /// <summary>One entry of a recorded SendMessageBatch: its id and its body as SQS would store it (UTF-8).</summary>
    public sealed record SqsEntry(string Id, byte[] Body)
    {
        /// <summary>The MD5 SQS reports for this body.</summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "SQS reports MD5OfMessageBody.")]
        public string Md5 => Convert.ToHexStringLower(MD5.HashData(Body));
    }

    /// <summary>A request as it went on the wire.</summary>
    public sealed record Recorded(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        /// <summary>The <c>X-Amz-Target</c>, e.g. <c>AmazonSQS.SendMessageBatch</c>.</summary>
        public string? Operation => Headers.TryGetValue("X-Amz-Target", out var target) ? target : null;

        /// <summary>The entries of a SendMessageBatch request.</summary>
        public IReadOnlyList<SqsEntry> Entries => JsonNode.Parse(Body)!["Entries"]!.AsArray()
            .Select(e => new SqsEntry(e!["Id"]!.GetValue<string>(), Encoding.UTF8.GetBytes(e["MessageBody"]!.GetValue<string>())))
            .ToList();

        /// <summary>The <c>QueueUrl</c> of an SQS request.</summary>
        public string QueueUrl => JsonNode.Parse(Body)!["QueueUrl"]!.GetValue<string>();
    }
}
