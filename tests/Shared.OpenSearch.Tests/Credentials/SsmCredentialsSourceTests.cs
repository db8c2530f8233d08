using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.Aws;
using Shared.Contract.Settings;
using Shared.OpenSearch.Credentials;
using TestSupport.Moto;

namespace Shared.OpenSearch.Tests.Credentials;

/// <summary>
/// The credentials source against moto_server: parameters are put with the AWS SDK's SSM client and read with
/// ours (<see cref="AwsJsonClient"/>), so the request and the answer are SSM's real JSON protocol shape.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class SsmCredentialsSourceTests(MotoFixture moto) : IDisposable
{
    private const string Password = "S3cret-Passw0rd-#42";

    private readonly AmazonSimpleSystemsManagementClient _seed = moto.CreateSsmClient();
    private readonly AwsJsonClient _ssm = moto.CreateAwsJsonClient(AwsService.Ssm);

    public void Dispose()
    {
        _seed.Dispose();
        _ssm.Dispose();
    }

    private async Task<string> PutParametersAsync(string host = "search-demo.us-east-1.es.amazonaws.com", bool withPassword = true)
    {
        var prefix = "/test/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        await _seed.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = host, Type = ParameterType.String });
        await _seed.PutParameterAsync(new PutParameterRequest { Name = prefix + "/user", Value = "admin", Type = ParameterType.SecureString });
        if (withPassword)
        {
            await _seed.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = Password, Type = ParameterType.SecureString });
        }

        return prefix;
    }

    private SsmCredentialsSource Source(string prefix, TimeProvider? time = null, AwsJsonClient? ssm = null, bool readLogin = true) =>
        new(ssm ?? _ssm, prefix, TimeSpan.FromMinutes(5), time ?? TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance, readLogin);

    [Fact]
    public async Task GetAsync_ParametersExist_DecryptsAndAddsHttpsToABareHost()
    {
        var prefix = await PutParametersAsync();

        var credentials = await Source(prefix).GetAsync(CancellationToken.None);

        Assert.Equal(new Uri("https://search-demo.us-east-1.es.amazonaws.com/"), credentials.Endpoint);
        Assert.Equal("admin", credentials.User);
        Assert.Equal(Password, credentials.Password);
        Assert.DoesNotContain(Password, credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_PasswordMissing_FailsNamingTheMissingParameterOnly()
    {
        var prefix = await PutParametersAsync(withPassword: false);

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => Source(prefix).GetAsync(CancellationToken.None).AsTask());

        Assert.Contains(prefix + "/password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(prefix + "/user,", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_NoParameterExists_FailsNamingEveryOne()
    {
        var prefix = "/test/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => Source(prefix).GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(EnvironmentVariableNames.SsmParameterPrefix, ex.Setting);
        Assert.Contains(prefix + "/host", ex.Message, StringComparison.Ordinal);
        Assert.Contains(prefix + "/user", ex.Message, StringComparison.Ordinal);
        Assert.Contains(prefix + "/password", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_HostNotAnEndpoint_FailsNamingTheHostParameter()
    {
        var prefix = await PutParametersAsync(host: "ftp://files.example.com");

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => Source(prefix).GetAsync(CancellationToken.None).AsTask());

        Assert.Equal(prefix + "/host", ex.Setting);
        Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_SigV4WithoutLoginParameters_ReadsOnlyTheHost()
    {
        var prefix = "/test/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        await _seed.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = "abc.us-east-1.aoss.amazonaws.com", Type = ParameterType.String });

        var credentials = await Source(prefix, readLogin: false).GetAsync(CancellationToken.None);

        Assert.Equal("abc.us-east-1.aoss.amazonaws.com", credentials.Endpoint.Host);
        Assert.Equal(string.Empty, credentials.Password);
    }

    [Fact]
    public async Task GetAsync_WithinTtl_ReadsSsmOnceThenAgainAfterExpiry()
    {
        var prefix = await PutParametersAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = Source(prefix, time);

        var first = await source.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(4));
        var second = await source.GetAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        await source.GetAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task RefreshAsync_PasswordRotated_ReturnsTheNewPasswordAtOnce()
    {
        var prefix = await PutParametersAsync();
        var source = Source(prefix);
        var old = await source.GetAsync(CancellationToken.None);
        await _seed.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = "Rotated-1", Type = ParameterType.SecureString, Overwrite = true });

        var refreshed = await source.RefreshAsync(old, CancellationToken.None);
        var again = await source.RefreshAsync(old, CancellationToken.None);

        Assert.Equal("Rotated-1", refreshed.Password);
        Assert.Same(refreshed, again); // a second caller holding the stale copy does not read SSM again
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task GetAsync_RoleSessionAndServerCheckingSignatures_Reads()
    {
        var prefix = await PutParametersAsync();
        var authentication = new MotoAuthentication(moto.Server);
        using var ssm = moto.CreateAwsJsonClient(AwsService.Ssm, await authentication.AssumeRoleAsync("ssm:*"));

        OpenSearchCredentials credentials;
        await using (await authentication.EnableAsync())
        {
            credentials = await Source(prefix, ssm: ssm).GetAsync(CancellationToken.None);
        }

        Assert.Equal(Password, credentials.Password);
    }

    [Fact]
    public async Task GetAsync_WrongSecretKey_FailsAtOnceNamingSsmAndSignatureDoesNotMatch()
    {
        var prefix = await PutParametersAsync();
        var authentication = new MotoAuthentication(moto.Server);
        var session = (await authentication.AssumeRoleAsync("ssm:*")).GetCredentials();
        using var ssm = moto.CreateAwsJsonClient(AwsService.Ssm, new SessionAWSCredentials(session.AccessKey, "not-the-secret", session.Token));
        var source = Source(prefix, ssm: ssm);

        AwsServiceException error;
        await using (await authentication.EnableAsync())
        {
            error = await Assert.ThrowsAsync<AwsServiceException>(() => source.GetAsync(CancellationToken.None).AsTask());
        }

        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.StartsWith("SSM GetParameters at " + moto.Server.Endpoint, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Reads);
    }
}
