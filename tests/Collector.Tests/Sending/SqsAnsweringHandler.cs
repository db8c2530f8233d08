using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Collector.Tests.Sending;

/// <summary>
/// An HttpMessageHandler that answers SendMessageBatch as SQS documents it (JSON protocol, awsJson1_0):
/// by default every entry is accepted with the MD5 of its body; a test queues other answers — a wrong MD5,
/// failed or missing entries, error documents — for the answers moto cannot be made to give.
/// Every request is recorded as sent.
/// </summary>
internal sealed class SqsAnsweringHandler : HttpMessageHandler
{
    private readonly Queue<Func<IReadOnlyList<Entry>, HttpResponseMessage>> _answers = new();

    /// <summary>One entry of a recorded request: its id and its body as SQS would store it (UTF-8).</summary>
    public sealed record Entry(string Id, byte[] Body)
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "SQS reports MD5OfMessageBody.")]
        public string Md5 => Convert.ToHexStringLower(MD5.HashData(Body));
    }

    /// <summary>A request as it went on the wire.</summary>
    public sealed record Recorded(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body, IReadOnlyList<Entry> Entries, string QueueUrl);

    public List<Recorded> Requests { get; } = [];

    /// <summary>The next request gets this answer (then the default, all accepted, again).</summary>
    public void Then(Func<IReadOnlyList<Entry>, HttpResponseMessage> answer) => _answers.Enqueue(answer);

    /// <summary>A result that accepts every entry, with <paramref name="md5"/> overriding the MD5 reported for some.</summary>
    public static HttpResponseMessage Accepted(IEnumerable<Entry> entries, Func<Entry, string>? md5 = null) =>
        Result(entries.Select(e => new JsonObject { ["Id"] = e.Id, ["MessageId"] = Guid.NewGuid().ToString(), ["MD5OfMessageBody"] = md5?.Invoke(e) ?? e.Md5 }), []);

    /// <summary>A SendMessageBatch result with the given Successful and Failed entries.</summary>
    public static HttpResponseMessage Result(IEnumerable<JsonObject> successful, IEnumerable<JsonObject> failed) =>
        Json(HttpStatusCode.OK, new JsonObject { ["Successful"] = new JsonArray([.. successful]), ["Failed"] = new JsonArray([.. failed]) });

    /// <summary>A Failed entry as SQS writes it.</summary>
    public static JsonObject Failure(string id, string code, string message, bool senderFault = false) =>
        new() { ["Id"] = id, ["SenderFault"] = senderFault, ["Code"] = code, ["Message"] = message };

    /// <summary>An error answer: the shape id in <c>__type</c> and X-Amzn-Errortype, the legacy code in x-amzn-query-error.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string shape, string message, string? queryError = null)
    {
        var response = Json(status, new JsonObject { ["__type"] = "com.amazonaws.sqs#" + shape, ["message"] = message });
        response.Headers.TryAddWithoutValidation("X-Amzn-Errortype", "com.amazonaws.sqs#" + shape);
        if (queryError is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-query-error", queryError);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var json = JsonNode.Parse(body)!.AsObject();
        var entries = json["Entries"]!.AsArray()
            .Select(e => new Entry(e!["Id"]!.GetValue<string>(), Encoding.UTF8.GetBytes(e["MessageBody"]!.GetValue<string>())))
            .ToList();
        Requests.Add(new Recorded(request.Method, request.RequestUri!, headers, body, entries, json["QueueUrl"]!.GetValue<string>()));
        return _answers.TryDequeue(out var answer) ? answer(entries) : Accepted(entries);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", Guid.NewGuid().ToString());
        return response;
    }
}
