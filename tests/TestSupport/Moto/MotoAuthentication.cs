using System.Net.Http.Headers;
using System.Xml.Linq;
using Amazon.Runtime;

namespace TestSupport.Moto;

/// <summary>
/// moto's IAM authentication: once switched on, moto checks every request's SigV4 signature (computing it with
/// botocore, an implementation independent of ours) and the caller's permissions. Used by the tests that must
/// prove a hand-made signature is right, with a role session made in moto's own IAM and STS.
/// </summary>
public sealed class MotoAuthentication(MotoServer server)
{
    /// <summary>
    /// Makes moto check every request's signature and permissions until disposed. The server is shared by a
    /// collection whose tests run one at a time, and authentication is always switched off again.
    /// </summary>
    public async Task<IAsyncDisposable> EnableAsync()
    {
        await ResetAsync("0");
        return new Restore(() => ResetAsync("inf"));
    }

    /// <summary>
    /// A new role allowed <paramref name="actions"/> (e.g. <c>sqs:*</c>) on every resource, and a session of it
    /// (ASIA key, secret, session token) from moto's STS. Call it while authentication is off.
    /// </summary>
    public async Task<AWSCredentials> AssumeRoleAsync(string actions)
    {
        var role = "test-" + Guid.NewGuid().ToString("N")[..12];
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""";
        var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"{{actions}}","Resource":"*"}]}""";
        var created = await QueryAsync("iam", "CreateRole", "2010-05-08", ("RoleName", role), ("AssumeRolePolicyDocument", trust));
        await QueryAsync("iam", "PutRolePolicy", "2010-05-08", ("RoleName", role), ("PolicyName", "allowed"), ("PolicyDocument", policy));
        var arn = created.Descendants().First(e => e.Name.LocalName == "Arn").Value;
        var session = await QueryAsync("sts", "AssumeRole", "2011-06-15", ("RoleArn", arn), ("RoleSessionName", "test"));
        string Value(string name) => session.Descendants().First(e => e.Name.LocalName == name).Value;
        return new SessionAWSCredentials(Value("AccessKeyId"), Value("SecretAccessKey"), Value("SessionToken"));
    }

    private async Task ResetAsync(string initialNoAuthActionCount)
    {
        using var http = new HttpClient();
        using var content = new StringContent(initialNoAuthActionCount);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await http.PostAsync(new Uri(server.Endpoint, "moto-api/reset-auth"), content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>An IAM or STS call in the query protocol; moto routes it by the service in the credential scope.</summary>
    private async Task<XDocument> QueryAsync(string service, string action, string version, params (string Name, string Value)[] parameters)
    {
        using var http = new HttpClient();
        using var content = new FormUrlEncodedContent([new("Action", action), new("Version", version), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=testing/20250101/{MotoServer.Region}/{service}/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? XDocument.Parse(text)
            : throw new InvalidOperationException($"moto {service} {action}: HTTP {(int)response.StatusCode} {text}");
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
