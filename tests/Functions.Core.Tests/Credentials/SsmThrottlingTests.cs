using Amazon.SimpleSystemsManagement;
using Functions.Core.Credentials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using TestSupport;
using TestSupport.Moto;

namespace Functions.Core.Tests.Credentials;

/// <summary>
/// SSM's GetParameters quota is per account; a burst of cold starts meets ThrottlingException. moto never
/// throttles, so this test puts a small SSM endpoint in front that answers like SSM does when it throttles
/// (HTTP 400, <c>__type</c> ThrottlingException) a given number of times, then answers the call.
/// </summary>
public sealed class SsmThrottlingTests
{
    private static async Task<(WebApplication App, Uri Endpoint, Func<int> Calls)> StartAsync(int throttles)
    {
        var calls = 0;
        var app = Kestrel.CreateBuilder().Build();
        app.MapPost("/", async (HttpContext context) =>
        {
            var call = Interlocked.Increment(ref calls);
            context.Response.ContentType = "application/x-amz-json-1.1";
            if (call <= throttles)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"__type":"ThrottlingException","message":"Rate exceeded"}""");
                return;
            }

            await context.Response.WriteAsync("""
                {"InvalidParameters":[],"Parameters":[
                 {"Name":"/t/opensearch/host","Type":"String","Value":"search-t.eu-west-1.es.amazonaws.com","Version":1},
                 {"Name":"/t/opensearch/user","Type":"SecureString","Value":"admin","Version":1},
                 {"Name":"/t/opensearch/password","Type":"SecureString","Value":"pw","Version":1}]}
                """);
        });
        var endpoint = await Kestrel.StartAsync(app);
        return (app, endpoint, () => Volatile.Read(ref calls));
    }

    [Fact]
    public async Task GetAsync_SsmThrottlesMoreThanTheSdkRetries_KeepsTryingAndSucceeds()
    {
        var (app, endpoint, calls) = await StartAsync(throttles: 6);
        await using (app)
        {
            using var ssm = new AmazonSimpleSystemsManagementClient(MotoFixture.Credentials, new AmazonSimpleSystemsManagementConfig
            {
                ServiceURL = endpoint.ToString(),
                AuthenticationRegion = "eu-west-1",
                MaxErrorRetry = 1,
            });
            var source = new SsmCredentialsSource(ssm, "/t/opensearch", TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance);

            var credentials = await source.GetAsync(CancellationToken.None);

            Assert.Equal("pw", credentials.Password);
            Assert.Equal(7, calls());
        }
    }
}
