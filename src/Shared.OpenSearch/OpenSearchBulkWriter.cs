using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Shared.OpenSearch.Credentials;
using Shared.OpenSearch.Failures;

namespace Shared.OpenSearch;

/// <summary>
/// The <c>_bulk</c> writer. Its rules, each kept below where it applies:
/// every item starts as not stored and only OpenSearch's own per-item answer changes that; transient
/// faults (item 429/5xx; request 429/502/503/504, timeouts, broken connections; the rule is
/// <see cref="Failures.FailureClassification"/>'s) are retried with capped, jittered exponential backoff while the
/// deadline allows, unless so many whole requests in a row are refused that the domain is plainly unavailable;
/// a request refused as a whole because of what it holds (413, or a 400 saying the body is malformed) is
/// narrowed down by halves until only the documents at fault are left, each then refused alone with
/// OpenSearch's reason, so one bad document never takes its neighbours down; a 401 re-reads the credentials
/// once; anything else is reported with OpenSearch's reason, never swallowed. A document the body cannot take
/// (not one JSON object) is refused before any request.
/// </summary>
public sealed partial class OpenSearchBulkWriter : IBulkWriter
{
    private const string VersionConflict = "version_conflict_engine_exception";

    // A 400 for the whole request with one of these types is about what the body holds: a malformed
    // action or document line, a document that fails validation (an _id over 512 bytes). Some document
    // is at fault, so the request is narrowed down to it. Other 400s (and 403s) are about the request or
    // the domain, where splitting would only multiply the same refusal.
    private static readonly HashSet<string> MalformedTypes = new(StringComparer.Ordinal)
    {
        "illegal_argument_exception",
        "x_content_parse_exception",
        "json_parse_exception",
        "mapper_parsing_exception",
        "action_request_validation_exception",
        "not_x_content_exception",
    };
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson");
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly ICredentialsSource _credentials;
    private readonly BulkWriterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BulkRequestBody _body;

    // Reused for every response: a bulk response for thousands of items would otherwise be a fresh
    // large-object allocation per request.
    private readonly MemoryStream _response = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _templatesInstalled;

    // Set when a write gave up on an unavailable domain, cleared by any answer that is not a whole-request refusal.
    // While it is set, one refusal is enough to give up: during an outage every invocation then costs one request,
    // not five and their backoff, and the first request after the domain's return finds it back.
    private bool _unavailable;

    /// <summary>
    /// A writer that sends <c>_bulk</c> requests through <paramref name="http"/> to the endpoint <paramref name="credentials"/>
    /// reads, with the request size cap and retries of <paramref name="options"/>; <see cref="OpenSearchWriterFactory"/> wires one from settings.
    /// </summary>
    public OpenSearchBulkWriter(HttpClient http, ICredentialsSource credentials, BulkWriterOptions options, TimeProvider time, ILogger<OpenSearchBulkWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _credentials = credentials;
        _options = options;
        _time = time;
        _logger = logger;
        _body = new BulkRequestBody(options.MaxBytes);
    }

    /// <inheritdoc />
    public async Task<BulkResult> WriteAsync(IReadOnlyList<BulkItem> items, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        // One write at a time: the request body buffer is reused between requests.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var run = new WriteRun(this, items, deadline - _options.DeadlineMargin);
            await run.ExecuteAsync(cancellationToken);
            return run.Result();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The state of one <see cref="WriteAsync"/> call.</summary>
    private sealed class WriteRun(OpenSearchBulkWriter writer, IReadOnlyList<BulkItem> items, DateTimeOffset stopBy)
    {
        // Safe default: every item counts as not stored until OpenSearch confirms it, so a crash, a
        // timeout or a bug can only ever fail a message, never acknowledge one that was lost.
        private readonly BulkItemOutcome[] _outcomes = Enumerable.Repeat(new BulkItemOutcome(BulkItemStatus.NotStored, 0, null, "not sent"), items.Count).ToArray();
        private readonly long _started = Stopwatch.GetTimestamp();
        private OpenSearchCredentials? _credentials;
        private bool _refreshed;
        private int _retries;
        private int _requests;
        private int _narrowingRequests;
        private int _busyInARow;

        // The chunk whose items the request body holds right now, in order, so a chunk sent again (after a
        // credentials refresh) or sent just after it was cut is not written twice.
        private List<int>? _bodyHolds;

        public BulkResult Result() => new(_outcomes, _retries, _requests, Stopwatch.GetElapsedTime(_started));

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            if (items.Count == 0)
            {
                return;
            }

            _credentials = await writer._credentials.GetAsync(cancellationToken);
            if (!await EnsureTemplatesAsync(cancellationToken))
            {
                return;
            }

            var pending = Enumerable.Range(0, items.Count).ToList();
            for (var round = 0; pending.Count > 0; round++)
            {
                var retry = new List<int>();
                var work = new Stack<List<int>>(Chunk(pending).Reverse());
                while (work.Count > 0)
                {
                    var chunk = work.Pop();
                    var stop = await SendChunkAsync(chunk, work, retry, cancellationToken);
                    if (stop)
                    {
                        return;
                    }
                }

                if (retry.Count == 0)
                {
                    return;
                }

                var delay = writer._options.RetryBackoff.Delay(round);
                if (round + 1 >= writer._options.MaxRetryRounds || writer._time.GetUtcNow() + delay >= stopBy)
                {
                    // Not enough time to try again: these stay not stored, with the last reason, and the
                    // caller reports them as failed so their messages come back later.
                    LogGivingUp(writer._logger, retry.Count, round + 1);
                    foreach (var i in retry)
                    {
                        var o = _outcomes[i];
                        _outcomes[i] = o with { Reason = $"{o.Reason}; not retried: the invocation's deadline or retry limit was reached" };
                    }

                    return;
                }

                LogRetrying(writer._logger, retry.Count, delay.TotalMilliseconds, round + 1);
                await Task.Delay(delay, writer._time, cancellationToken);
                _retries += retry.Count;
                pending = retry;
            }
        }

        private IEnumerable<List<int>> Chunk(List<int> indices)
        {
            var body = writer._body;
            body.Clear();
            _bodyHolds = null;
            var chunk = new List<int>();
            foreach (var i in indices)
            {
                var appended = body.Append(items[i], out var refusal);
                if (appended == BulkAppendResult.Full)
                {
                    yield return chunk;
                    chunk = [];
                    body.Clear();
                    appended = body.Append(items[i], out refusal);
                }

                if (appended == BulkAppendResult.Refused)
                {
                    // Not one JSON object: no request could ever store it, and sent it could break the
                    // body for the others. Refused for good, so the callers' per-document paths take it.
                    _outcomes[i] = new BulkItemOutcome(BulkItemStatus.Rejected, 0, BulkRequestBody.RefusalType, refusal);
                    continue;
                }

                chunk.Add(i);
            }

            if (chunk.Count > 0)
            {
                // The body is left holding the last chunk: when it is sent (a delivery that fits one
                // request is always this case), it need not be written a second time.
                _bodyHolds = chunk;
                yield return chunk;
            }
        }

        /// <returns>True when nothing more can be sent in this call (credentials or permissions refused).</returns>
        private async Task<bool> SendChunkAsync(List<int> chunk, Stack<List<int>> work, List<int> retry, CancellationToken cancellationToken)
        {
            var body = writer._body;
            if (!ReferenceEquals(_bodyHolds, chunk))
            {
                body.Clear();
                foreach (var i in chunk)
                {
                    body.Append(items[i], out _); // appended before, when the chunk was cut, so it fits again
                }

                _bodyHolds = chunk;
            }

            // filter_path keeps only what decides each item's fate: the response shrinks about tenfold, for
            // OpenSearch to write and for us to read. Items keep their positions, one per action.
            var response = await SendAsync(HttpMethod.Post, "_bulk?filter_path=errors,items.*.status,items.*.error", body.Memory, NdJson, cancellationToken);
            var unavailable = IsUnavailable(response);
            switch (response.Kind)
            {
                case AnswerKind.Ok:
                    ApplyItems(chunk, response, retry);
                    return false;
                case AnswerKind.Transient when unavailable:
                    LogUnavailable(writer._logger, _busyInARow, response.Reason);
                    FailAllNotStored(response.Status, $"{response.Reason}; not retried: {_busyInARow} requests in a row were refused as a whole, so the domain is taken to be unavailable");
                    return true;
                case AnswerKind.Transient:
                    foreach (var i in chunk)
                    {
                        _outcomes[i] = new BulkItemOutcome(BulkItemStatus.NotStored, response.Status, null, response.Reason);
                        retry.Add(i);
                    }

                    return false;
                case AnswerKind.TooLarge when chunk.Count > 1:
                    // The domain's http.max_content_length is below BULK_MAX_BYTES: halve and carry on.
                    LogSplitting(writer._logger, chunk.Count, body.Length);
                    Halve(chunk, work);
                    return false;
                case AnswerKind.TooLarge:
                    _outcomes[chunk[0]] = new BulkItemOutcome(BulkItemStatus.Rejected, 413, "request_entity_too_large", $"the document alone ({body.Length} bytes) exceeds the domain's http.max_content_length");
                    return false;
                case AnswerKind.Malformed when chunk.Count > 1 && _narrowingRequests + 2 <= writer._options.MaxNarrowingRequests:
                    // Some document made OpenSearch refuse the whole request: halve until the good halves
                    // are stored and only the documents at fault are left, alone. k bad documents among n
                    // cost about 2·k·log2(n) requests; a refusal that is not a document's (a cluster that
                    // forbids explicit indices) is bounded by MaxNarrowingRequests.
                    _narrowingRequests += 2;
                    LogNarrowing(writer._logger, chunk.Count, response.ErrorType ?? "unknown", response.Reason);
                    Halve(chunk, work);
                    return false;
                case AnswerKind.Malformed when chunk.Count > 1:
                    LogNarrowingLimit(writer._logger, writer._options.MaxNarrowingRequests, chunk.Count, response.Reason);
                    foreach (var i in chunk)
                    {
                        _outcomes[i] = new BulkItemOutcome(BulkItemStatus.NotStored, response.Status, response.ErrorType, $"{response.Reason}; OpenSearch refused the request as a whole and {writer._options.MaxNarrowingRequests} requests did not isolate the documents at fault");
                    }

                    return false;
                case AnswerKind.Malformed:
                    // Refused alone: this document is at fault. OpenSearch's own type and reason, for good.
                    _outcomes[chunk[0]] = new BulkItemOutcome(BulkItemStatus.Rejected, response.Status, response.ErrorType, response.Reason);
                    return false;
                case AnswerKind.Unauthorized when !_refreshed:
                    // Password rotation: read the parameters again, once per write, and resend.
                    _refreshed = true;
                    _credentials = await writer._credentials.RefreshAsync(_credentials!, cancellationToken);
                    work.Push(chunk);
                    return false;
                default:
                    // 401 after a refresh, 403, or a request OpenSearch refuses as a whole: no item can
                    // succeed in this call. They stay not stored, with the reason, for a later delivery.
                    LogRefused(writer._logger, response.Status, response.Reason);
                    FailAllNotStored(response.Status, response.Reason);
                    return true;
            }
        }

        private static void Halve(List<int> chunk, Stack<List<int>> work)
        {
            work.Push(chunk[(chunk.Count / 2)..]);
            work.Push(chunk[..(chunk.Count / 2)]);
        }

        private void ApplyItems(List<int> chunk, Answer response, List<int> retry)
        {
            List<BulkResponseItem> results;
            try
            {
                results = BulkResponseReader.Read(response.Body.Span);
            }
            catch (JsonException ex)
            {
                results = [];
                LogUnreadable(writer._logger, ex.Message);
            }

            if (results.Count != chunk.Count)
            {
                foreach (var i in chunk)
                {
                    _outcomes[i] = new BulkItemOutcome(BulkItemStatus.NotStored, response.Status, null, $"the _bulk response had {results.Count} items for {chunk.Count} actions");
                    retry.Add(i);
                }

                return;
            }

            for (var k = 0; k < chunk.Count; k++)
            {
                var i = chunk[k];
                var item = results[k];
                _outcomes[i] = item.Status switch
                {
                    >= 200 and < 300 => new BulkItemOutcome(BulkItemStatus.Indexed, item.Status, null, null),
                    409 when item.ErrorType == VersionConflict => new BulkItemOutcome(BulkItemStatus.VersionConflict, 409, item.ErrorType, item.Reason),
                    _ when FailureClassification.OfRefusedItem(item.Status) == FailureKind.Transient => new BulkItemOutcome(BulkItemStatus.NotStored, item.Status, item.ErrorType, item.Reason),
                    _ => new BulkItemOutcome(BulkItemStatus.Rejected, item.Status, item.ErrorType, item.Reason),
                };
                if (_outcomes[i].Status == BulkItemStatus.NotStored)
                {
                    retry.Add(i);
                }
            }
        }

        private async Task<bool> EnsureTemplatesAsync(CancellationToken cancellationToken)
        {
            if (writer._templatesInstalled)
            {
                return true;
            }

            // Installed before the first document of the process: an index created without its template
            // would keep a guessed mapping for the whole day. PUT is idempotent, so every new process may
            // send them again.
            foreach (var template in writer._options.Templates)
            {
                var path = "_index_template/" + Uri.EscapeDataString(template.Name);
                var answer = await SendAsync(HttpMethod.Put, path, template.Body, Json, cancellationToken);
                for (var round = 0; answer.Kind is AnswerKind.Transient or AnswerKind.Unauthorized; round++)
                {
                    if (answer.Kind == AnswerKind.Unauthorized)
                    {
                        if (_refreshed)
                        {
                            break;
                        }

                        _refreshed = true;
                        _credentials = await writer._credentials.RefreshAsync(_credentials!, cancellationToken);
                    }
                    else
                    {
                        // A busy or restarting domain: the same backoff as a bulk request, within the deadline.
                        var delay = writer._options.RetryBackoff.Delay(round);
                        if (IsUnavailable(answer) || round + 1 >= writer._options.MaxRetryRounds || writer._time.GetUtcNow() + delay >= stopBy)
                        {
                            break;
                        }

                        await Task.Delay(delay, writer._time, cancellationToken);
                    }

                    answer = await SendAsync(HttpMethod.Put, path, template.Body, Json, cancellationToken);
                }

                if (answer.Kind != AnswerKind.Ok)
                {
                    var reason = $"index template {template.Name} could not be installed: {(answer.ErrorType is null ? answer.Reason : $"HTTP {answer.Status} {answer.ErrorType}: {answer.Reason}")}";
                    LogRefused(writer._logger, answer.Status, reason);
                    FailAllNotStored(answer.Status, reason);
                    return false;
                }

                LogTemplateInstalled(writer._logger, template.Name);
            }

            writer._templatesInstalled = true;
            return true;
        }

        /// <summary>
        /// Counts whole-request refusals in a row (429/502/503/504, timeouts, connections refused or broken) and says
        /// when there have been enough to call the domain unavailable. A domain that is down, switching blue/green
        /// or drowning in 429s answers every request that way; retrying until the deadline would only burn the
        /// invocation's time (the cost of an outage is invocations × their duration), so the write gives up early
        /// and the caller holds the work for a later delivery. Any other answer resets the count.
        /// </summary>
        private bool IsUnavailable(Answer answer)
        {
            _busyInARow = answer.Kind == AnswerKind.Transient ? _busyInARow + 1 : 0;
            if (_busyInARow == 0)
            {
                writer._unavailable = false;
                return false;
            }

            if (_busyInARow >= (writer._unavailable ? 1 : writer._options.UnavailableAfterRefusals))
            {
                writer._unavailable = true;
                return true;
            }

            return false;
        }

        private void FailAllNotStored(int status, string reason)
        {
            for (var i = 0; i < _outcomes.Length; i++)
            {
                if (!_outcomes[i].IsStored && _outcomes[i].Status != BulkItemStatus.Rejected)
                {
                    _outcomes[i] = new BulkItemOutcome(BulkItemStatus.NotStored, status, null, reason);
                }
            }
        }

        private async Task<Answer> SendAsync(HttpMethod method, string path, ReadOnlyMemory<byte> body, MediaTypeHeaderValue type, CancellationToken cancellationToken)
        {
            var budget = stopBy - writer._time.GetUtcNow();
            if (budget <= TimeSpan.Zero)
            {
                return new Answer(AnswerKind.Transient, 0, "not sent: the invocation's deadline is near", ReadOnlyMemory<byte>.Empty);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(budget);
            using var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = type;
            using var request = OpenSearchHttp.Request(method, _credentials!, path, content);
            await writer._options.Authenticator.AuthenticateAsync(request, _credentials!, body, cancellationToken);
            _requests++;
            try
            {
                using var response = await writer._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                writer._response.SetLength(0);
                await response.Content.CopyToAsync(writer._response, timeout.Token);
                var bytes = new ReadOnlyMemory<byte>(writer._response.GetBuffer(), 0, (int)writer._response.Length);
                var status = (int)response.StatusCode;
                return response.StatusCode switch
                {
                    _ when response.IsSuccessStatusCode => new Answer(AnswerKind.Ok, status, null!, bytes),
                    HttpStatusCode.BadRequest when BulkResponseReader.ReadRequestError(bytes.Span) is ({ } errorType, var reason) && MalformedTypes.Contains(errorType)
                        => new Answer(AnswerKind.Malformed, status, reason ?? Describe(status, bytes), bytes) { ErrorType = errorType },
                    _ when FailureClassification.IsBusyRequest(status) => new Answer(AnswerKind.Transient, status, Describe(status, bytes), bytes),
                    HttpStatusCode.RequestEntityTooLarge => new Answer(AnswerKind.TooLarge, status, Describe(status, bytes), bytes),
                    HttpStatusCode.Unauthorized => new Answer(AnswerKind.Unauthorized, status, $"OpenSearch refused the user '{_credentials!.User}' (401 Unauthorized); check the password parameter", bytes),
                    _ => new Answer(AnswerKind.Refused, status, Describe(status, bytes), bytes),
                };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Answer(AnswerKind.Transient, 0, $"no answer from {_credentials!.Endpoint.Host} before the invocation's deadline", ReadOnlyMemory<byte>.Empty);
            }
            catch (HttpRequestException ex)
            {
                // Connection refused or reset, DNS, TLS: TLS failures are not transient, but retrying them
                // costs only time and the reason (certificate name, chain) reaches the caller either way.
                return new Answer(AnswerKind.Transient, 0, $"cannot reach {_credentials!.Endpoint.Host}: {ex.Message}{(ex.InnerException is null ? string.Empty : " (" + ex.InnerException.Message + ")")}", ReadOnlyMemory<byte>.Empty);
            }
        }

        private static string Describe(int status, ReadOnlyMemory<byte> body)
        {
            var text = body.Length == 0 ? string.Empty : Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, 512)]);
            return $"HTTP {status}{(text.Length == 0 ? string.Empty : ": " + text)}";
        }
    }

    private enum AnswerKind
    {
        Ok,
        Transient,
        TooLarge,
        Unauthorized,
        Malformed,
        Refused,
    }

    private readonly record struct Answer(AnswerKind Kind, int Status, string Reason, ReadOnlyMemory<byte> Body)
    {
        /// <summary>OpenSearch's error type, for a request refused as malformed.</summary>
        public string? ErrorType { get; init; }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Retrying {Count} documents in {DelayMs} ms (round {Round})")]
    private static partial void LogRetrying(ILogger logger, int count, double delayMs, int round);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Giving up on {Count} documents after {Rounds} rounds: the deadline or the retry limit is reached")]
    private static partial void LogGivingUp(ILogger logger, int count, int rounds);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "OpenSearch answered 413 for {Count} documents ({Bytes} bytes); splitting the request")]
    private static partial void LogSplitting(ILogger logger, int count, int bytes);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "OpenSearch refused the request ({Status}): {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Index template {Template} installed")]
    private static partial void LogTemplateInstalled(ILogger logger, string template);

    [LoggerMessage(EventId = 305, Level = LogLevel.Error, Message = "Unreadable _bulk response: {Problem}")]
    private static partial void LogUnreadable(ILogger logger, string problem);

    [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "OpenSearch refused a request of {Count} documents as a whole ({ErrorType}: {Reason}); splitting it to isolate the documents at fault")]
    private static partial void LogNarrowing(ILogger logger, int count, string errorType, string reason);

    [LoggerMessage(EventId = 307, Level = LogLevel.Error, Message = "{Limit} requests did not isolate the documents OpenSearch refuses; {Count} documents stay not stored: {Reason}")]
    private static partial void LogNarrowingLimit(ILogger logger, int limit, int count, string reason);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "OpenSearch refused {Count} requests in a row as a whole; taking it as unavailable and giving up on this write: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, int count, string reason);
}
