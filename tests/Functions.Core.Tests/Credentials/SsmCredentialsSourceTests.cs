using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Functions.Core.Configuration;
using Functions.Core.Credentials;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TestSupport.Moto;

namespace Functions.Core.Tests.Credentials;

[Collection(MotoCollection.Name)]
public sealed class SsmCredentialsSourceTests(MotoFixture moto)
{
    private const string Password = "S3cret-Passw0rd-#42";

    private async Task<string> PutParametersAsync(string host = "search-demo.us-east-1.es.amazonaws.com", bool withPassword = true)
    {
        var prefix = "/test/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        using var ssm = moto.CreateSsmClient();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = host, Type = ParameterType.String });
        await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/user", Value = "admin", Type = ParameterType.SecureString });
        if (withPassword)
        {
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = Password, Type = ParameterType.SecureString });
        }

        return prefix;
    }

    private SsmCredentialsSource Source(string prefix, TimeProvider time, out AmazonSimpleSystemsManagementClient ssm)
    {
        ssm = moto.CreateSsmClient();
        return new SsmCredentialsSource(ssm, prefix, TimeSpan.FromMinutes(5), time, NullLogger<SsmCredentialsSource>.Instance);
    }

    [Fact]
    public async Task GetAsync_ParametersExist_DecryptsAndAddsHttpsToABareHost()
    {
        var prefix = await PutParametersAsync();
        var source = Source(prefix, TimeProvider.System, out var ssm);
        using (ssm)
        {
            var credentials = await source.GetAsync(CancellationToken.None);

            Assert.Equal(new Uri("https://search-demo.us-east-1.es.amazonaws.com/"), credentials.Endpoint);
            Assert.Equal("admin", credentials.User);
            Assert.Equal(Password, credentials.Password);
            Assert.DoesNotContain(Password, credentials.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_PasswordMissing_FailsNamingTheMissingParameterOnly()
    {
        var prefix = await PutParametersAsync(withPassword: false);
        var source = Source(prefix, TimeProvider.System, out var ssm);
        using (ssm)
        {
            var ex = await Assert.ThrowsAsync<ConfigurationException>(() => source.GetAsync(CancellationToken.None).AsTask());

            Assert.Contains(prefix + "/password", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(prefix + "/user,", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_HostNotAnEndpoint_FailsNamingTheHostParameter()
    {
        var prefix = await PutParametersAsync(host: "ftp://files.example.com");
        var source = Source(prefix, TimeProvider.System, out var ssm);
        using (ssm)
        {
            var ex = await Assert.ThrowsAsync<ConfigurationException>(() => source.GetAsync(CancellationToken.None).AsTask());

            Assert.Equal(prefix + "/host", ex.Setting);
            Assert.DoesNotContain(Password, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetAsync_SigV4WithoutLoginParameters_ReadsOnlyTheHost()
    {
        var prefix = "/test/" + Guid.NewGuid().ToString("N")[..8] + "/opensearch";
        using var ssm = moto.CreateSsmClient();
        await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/host", Value = "abc.us-east-1.aoss.amazonaws.com", Type = ParameterType.String });
        var source = new SsmCredentialsSource(ssm, prefix, TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance, readLogin: false);

        var credentials = await source.GetAsync(CancellationToken.None);

        Assert.Equal("abc.us-east-1.aoss.amazonaws.com", credentials.Endpoint.Host);
        Assert.Equal(string.Empty, credentials.Password);
    }

    [Fact]
    public async Task GetAsync_WithinTtl_ReadsSsmOnceThenAgainAfterExpiry()
    {
        var prefix = await PutParametersAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = Source(prefix, time, out var ssm);
        using (ssm)
        {
            var first = await source.GetAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(4));
            var second = await source.GetAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(2));
            await source.GetAsync(CancellationToken.None);

            Assert.Same(first, second);
            Assert.Equal(2, source.Reads);
        }
    }

    [Fact]
    public async Task RefreshAsync_PasswordRotated_ReturnsTheNewPasswordAtOnce()
    {
        var prefix = await PutParametersAsync();
        var source = Source(prefix, TimeProvider.System, out var ssm);
        using (ssm)
        {
            var old = await source.GetAsync(CancellationToken.None);
            await ssm.PutParameterAsync(new PutParameterRequest { Name = prefix + "/password", Value = "Rotated-1", Type = ParameterType.SecureString, Overwrite = true });

            var refreshed = await source.RefreshAsync(old, CancellationToken.None);
            var again = await source.RefreshAsync(old, CancellationToken.None);

            Assert.Equal("Rotated-1", refreshed.Password);
            Assert.Same(refreshed, again); // a second caller holding the stale copy does not read SSM again
            Assert.Equal(2, source.Reads);
        }
    }
}
