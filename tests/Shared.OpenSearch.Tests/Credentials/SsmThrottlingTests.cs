using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Aws;
using Shared.OpenSearch.Credentials;
using TestSupport;
using TestSupport.Moto;

namespace Shared.OpenSearch.Tests.Credentials;

/// <summary>
/// SSM failing for a while. Its GetParameters quota is per account, so a burst of cold starts meets
/// ThrottlingException; a 5xx or a dropped connection happens too. moto does neither, so these tests put a small
/// SSM endpoint in front that answers in SSM's JSON protocol — HTTP 400 with <c>{"__type":"ThrottlingException",...}</c>
/// when it throttles — as scripted, then answers the call.
/// </summary>
public sealed class SsmThrottlingTests
{
    private const string Answer = """
        {"InvalidParameters":[],"Parameters":[
         {"Name":"/t/opensearch/host","Type":"String","Value":"search-t.eu-west-1.es.amazonaws.com","Version":1},
         {"Name":"/t/opensearch/user","Type":"SecureString","Value":"admin","Version":1},
         {"Name":"/t/opensearch/password","Type":"SecureString","Value":"pw","Version":1}]}
        """;

    /// <summary>What the endpoint does with each call, in order; calls beyond the script are answered.</summary>
    private enum Fault
    {
        Throttle,
        InternalError,
        DropConnection,
        AccessDenied,
    }

    private sealed record SsmDouble(WebApplication App, Uri Endpoint, List<(string? Target, string? ContentType, JsonNode? Body)> Calls) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<SsmDouble> StartAsync(params Fault[] script)
    {
        var calls = new List<(string?, string?, JsonNode?)>();
        var app = Kestrel.CreateBuilder().Build();
        app.MapPost("/", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            int call;
            lock (calls)
            {
                calls.Add((context.Request.Headers["X-Amz-Target"], context.Request.ContentType, body));
                call = calls.Count;
            }

            context.Response.ContentType = "application/x-amz-json-1.1";
            switch (call <= script.Length ? script[call - 1] : (Fault?)null)
            {
                case Fault.Throttle:
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync("""{"__type":"ThrottlingException","message":"Rate exceeded"}""");
                    return;
                case Fault.InternalError:
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync("""{"__type":"InternalServerError","message":"An internal error occurred."}""");
                    return;
                case Fault.DropConnection:
                    context.Abort();
                    return;
                case Fault.AccessDenied:
                    context.Response.StatusCode = 400;
                    await context.Response.WriteAsync("""{"__type":"AccessDeniedException","Message":"User: arn:aws:sts::123456789012:assumed-role/indexer/fn is not authorized to perform: ssm:GetParameters"}""");
                    return;
                default:
                    await context.Response.WriteAsync(Answer);
                    return;
            }
        });
        return new SsmDouble(app, await Kestrel.StartAsync(app), calls);
    }

    private static SsmCredentialsSource Source(AwsJsonClient ssm) =>
        new(ssm, "/t/opensearch", TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance);

    private static AwsJsonClient Client(HttpClient http, SsmDouble ssm) =>
        new(http, AwsService.Ssm, new AwsEndpoint(ssm.Endpoint, "eu-west-1"), MotoFixture.Credentials, TimeProvider.System);

    [Fact]
    public async Task GetAsync_SsmThrottlesFiveTimes_KeepsTryingAndSucceeds()
    {
        await using var ssm = await StartAsync(Fault.Throttle, Fault.Throttle, Fault.Throttle, Fault.Throttle, Fault.Throttle);
        using var http = new HttpClient();

        var credentials = await Source(Client(http, ssm)).GetAsync(CancellationToken.None);

        Assert.Equal("pw", credentials.Password);
        Assert.Equal(6, ssm.Calls.Count);
        Assert.All(ssm.Calls, call =>
        {
            Assert.Equal("AmazonSSM.GetParameters", call.Target);
            Assert.Equal("application/x-amz-json-1.1", call.ContentType);
            Assert.Equal(["/t/opensearch/host", "/t/opensearch/user", "/t/opensearch/password"], call.Body!["Names"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.True(call.Body["WithDecryption"]!.GetValue<bool>());
        });
    }

    [Fact]
    public async Task GetAsync_SsmKeepsThrottling_GivesUpAfterFiveRetriesWithSsmsError()
    {
        await using var ssm = await StartAsync(Enumerable.Repeat(Fault.Throttle, 10).ToArray());
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Source(Client(http, ssm)).GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(1 + SsmCredentialsSource.MaxThrottleRetries, ssm.Calls.Count);
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Contains("SSM GetParameters", error.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 400 ThrottlingException: Rate exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_InternalErrorThenDroppedConnection_RetriedAndSucceeds()
    {
        await using var ssm = await StartAsync(Fault.InternalError, Fault.DropConnection);
        using var http = new HttpClient();

        var credentials = await Source(Client(http, ssm)).GetAsync(CancellationToken.None);

        Assert.Equal("pw", credentials.Password);
        Assert.Equal(3, ssm.Calls.Count);
    }

    [Fact]
    public async Task GetAsync_SsmKeepsFailingWith5xx_GivesUpAfterAFewAttempts()
    {
        await using var ssm = await StartAsync(Enumerable.Repeat(Fault.InternalError, 10).ToArray());
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Source(Client(http, ssm)).GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(1 + SsmCredentialsSource.MaxTransientRetries, ssm.Calls.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("HTTP 500 InternalServerError: An internal error occurred.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_AccessDenied_FailsAtOnceWithSsmsMessage()
    {
        await using var ssm = await StartAsync(Fault.AccessDenied);
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Source(Client(http, ssm)).GetAsync(CancellationToken.None).AsTask());

        Assert.Single(ssm.Calls);
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Contains("is not authorized to perform: ssm:GetParameters", error.Message, StringComparison.Ordinal);
    }
}
