using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;

namespace Shared.Aws.Tests;

public sealed class SigV4SignerTests
{
    // From the AWS Signature Version 4 test suite (aws-sig-v4-test-suite, published with the SigV4
    // documentation, "Signature Version 4 test suite", vectors dated 2015-08-30): every vector signs
    // with these example credentials, region us-east-1 and service name "service".
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SuiteDate = "20150830T123600Z";

    private static SigV4Request SuiteRequest(string method, string path, string query, Dictionary<string, string> headers, string payloadHash) => new()
    {
        Method = method,
        Path = path,
        Query = query,
        Headers = headers,
        PayloadHash = payloadHash,
        AmzDate = SuiteDate,
        Region = "us-east-1",
        Service = "service",
        AccessKey = SuiteAccessKey,
    };

    [Fact]
    public void Sign_SuiteGetVanilla_MatchesThePublishedSignature()
    {
        var signed = SigV4Signer.Sign(
            SuiteRequest("GET", "/", string.Empty, new() { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = SuiteDate }, SigV4Signer.EmptyPayloadHash),
            SuiteSecretKey);

        // get-vanilla.sts and get-vanilla.authz
        Assert.Equal("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63", signed.StringToSign);
        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signed.Authorization);
    }

    [Fact]
    public void Sign_SuiteGetVanillaQueryOrderKeyCase_SortsTheQueryAndMatches()
    {
        var signed = SigV4Signer.Sign(
            SuiteRequest("GET", "/", "?Param2=value2&Param1=value1", new() { ["host"] = "example.amazonaws.com", ["x-amz-date"] = SuiteDate }, SigV4Signer.EmptyPayloadHash),
            SuiteSecretKey);

        Assert.Equal("Param1=value1&Param2=value2", signed.CanonicalRequest.Split('\n')[2]);
        Assert.Equal("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", signed.Signature);
    }

    [Fact]
    public void Sign_SuitePostXWwwFormUrlencoded_HashesTheBodyAndMatches()
    {
        var body = "Param1=value1"u8;
        var signed = SigV4Signer.Sign(
            SuiteRequest("POST", "/", string.Empty, new() { ["Content-Type"] = "application/x-www-form-urlencoded", ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = SuiteDate }, SigV4Signer.PayloadHash(body)),
            SuiteSecretKey);

        Assert.Equal("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", signed.CanonicalRequest.Split('\n')[^1]);
        Assert.Equal("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", signed.Authorization);
    }

    [Fact]
    public void Sign_SecretDateOrRegionChangesBetweenRequests_EachSignatureUsesTheKeyOfItsOwnInputs()
    {
        // The signing key is derived once and reused while secret, day, region and service stay the same:
        // a rotated secret, a new day or another region must each get their own key, and the first again after.
        var request = SuiteRequest("GET", "/", string.Empty, new() { ["Host"] = "example.amazonaws.com", ["X-Amz-Date"] = SuiteDate }, SigV4Signer.EmptyPayloadHash);
        const string Published = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"; // get-vanilla.authz

        var first = SigV4Signer.Sign(request, SuiteSecretKey);
        var rotated = SigV4Signer.Sign(request, "rotated/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var nextDay = SigV4Signer.Sign(request with { AmzDate = "20150831T000001Z" }, SuiteSecretKey);
        var otherRegion = SigV4Signer.Sign(request with { Region = "eu-west-1" }, SuiteSecretKey);
        var again = SigV4Signer.Sign(request, SuiteSecretKey);

        Assert.Equal(Published, first.Signature);
        Assert.Equal(Published, again.Signature);
        Assert.Equal(FreshSignature(rotated.StringToSign, "rotated/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1"), rotated.Signature);
        Assert.Equal(FreshSignature(nextDay.StringToSign, SuiteSecretKey, "20150831", "us-east-1"), nextDay.Signature);
        Assert.Equal(FreshSignature(otherRegion.StringToSign, SuiteSecretKey, "20150830", "eu-west-1"), otherRegion.Signature);
        Assert.Equal(4, new[] { first, rotated, nextDay, otherRegion }.Select(s => s.Signature).Distinct().Count());
    }

    // The derivation as the specification writes it, done from scratch for every call.
    private static string FreshSignature(string stringToSign, string secret, string date, string region)
    {
        var key = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = System.Security.Cryptography.HMACSHA256.HashData(key, "service"u8);
        key = System.Security.Cryptography.HMACSHA256.HashData(key, "aws4_request"u8);
        return Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    [Theory]
    [InlineData("search-logs-abc123.eu-west-1.es.amazonaws.com", "eu-west-1")]
    [InlineData("vpc-logs-abc123.ap-southeast-2.es.amazonaws.com", "ap-southeast-2")]
    [InlineData("vpc-history-k2h4l9m3n8-abcdefghijklmnopqrstuvwxyz.cn-north-1.es.amazonaws.com.cn", "cn-north-1")]
    [InlineData("07tjusf2h91cunochc.us-east-1.aoss.amazonaws.com", "us-east-1")]
    [InlineData("opensearch.example.com", null)]
    [InlineData("127.0.0.1", null)]
    public void RegionOf_EndpointName_ReadsTheRegion(string host, string? region)
    {
        Assert.Equal(region, SigV4RequestAuthenticator.RegionOf(host));
    }

    public static TheoryData<string, string, string, string, bool> BotocoreCases => new()
    {
        { "POST", "https://search-logs-abc123.eu-west-1.es.amazonaws.com/_bulk", "es", "{\"index\":{\"_index\":\"eks-kubernetes-events-2024.06.01\",\"_id\":\"u-1\",\"version\":7,\"version_type\":\"external_gte\"}}\n{\"message\":\"Back-off restarting failed container\",\"reason\":\"BackOff\"}\n", true },
        { "PUT", "https://07tjusf2h91cunochc.us-east-1.aoss.amazonaws.com/_index_template/eks-control-plane-logs", "aoss", "{\"index_patterns\":[\"eks-control-plane-logs-*\"]}", false },
        { "GET", "https://search-logs-abc123.eu-west-1.es.amazonaws.com/eks-kubernetes-events-*/_count?q=type%3AWarning&pretty", "es", string.Empty, true },
    };

    [Theory]
    [MemberData(nameof(BotocoreCases))]
    public async Task AuthenticateAsync_RealRequests_MatchBotocoreByteForByte(string method, string url, string service, string body, bool sessionToken)
    {
        var at = new DateTimeOffset(2024, 6, 1, 8, 30, 15, TimeSpan.Zero);
        var credentials = sessionToken
            ? (AWSCredentials)new SessionAWSCredentials("ASIAEXAMPLEKEY123456", "secret/with+slash=", "FwoGZXIvYXdzEJr//////////wEaDExampleSessionToken==")
            : new BasicAWSCredentials("AKIAEXAMPLEKEY123456", "another/secret+key");
        var authenticator = new SigV4RequestAuthenticator(credentials, service, "us-east-1", new FakeTimeProvider(at));
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);

        await authenticator.AuthenticateAsync(request, new OpenSearchCredentials(new Uri(url), string.Empty, string.Empty), bytes, CancellationToken.None);

        var keys = await credentials.GetCredentialsAsync();
        var expected = await BotocoreAuthorizationAsync(method, url, service, SigV4RequestAuthenticator.RegionOf(new Uri(url).Host)!, bytes, keys, at);
        Assert.Equal(expected, request.Headers.GetValues("Authorization").Single());
        Assert.Equal(SigV4Signer.PayloadHash(bytes), request.Headers.GetValues("x-amz-content-sha256").Single());
        Assert.Equal(sessionToken, request.Headers.Contains("x-amz-security-token"));
    }

    /// <summary>Signs the same request with botocore's SigV4Auth (an implementation we did not write), frozen at the same instant.</summary>
    private static async Task<string> BotocoreAuthorizationAsync(string method, string url, string service, string region, byte[] body, ImmutableCredentials keys, DateTimeOffset at)
    {
        const string script = """
            import base64, datetime, json, sys
            from unittest import mock
            import botocore.auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            spec = json.load(sys.stdin)
            body = base64.b64decode(spec["body"])
            request = AWSRequest(method=spec["method"], url=spec["url"], data=body,
                                 headers={"x-amz-content-sha256": spec["payloadHash"]})
            credentials = Credentials(spec["accessKey"], spec["secretKey"], spec["token"] or None)
            at = datetime.datetime.strptime(spec["at"], "%Y%m%dT%H%M%SZ")
            with mock.patch.object(botocore.auth, "get_current_datetime", return_value=at):
                botocore.auth.SigV4Auth(credentials, spec["service"], spec["region"]).add_auth(request)
            print(request.headers["Authorization"])
            """;
        var start = new ProcessStartInfo("python3", ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(JsonSerializer.Serialize(new
        {
            method,
            url,
            service,
            region,
            body = Convert.ToBase64String(body),
            payloadHash = SigV4Signer.PayloadHash(body),
            accessKey = keys.AccessKey,
            secretKey = keys.SecretKey,
            token = keys.Token ?? string.Empty,
            at = SigV4Signer.AmzDate(at),
        }));
        python.StandardInput.Close();
        var output = await python.StandardOutput.ReadToEndAsync();
        var error = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, "botocore failed (python3 with botocore is on our machines): " + error);
        return output.Trim();
    }
}
