using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Functions.Runtime.Events.Sqs;
using IndexerFunction.Handling;
using IndexerFunction.Settings;
using IndexerFunction.Tests.Handling;
using Microsoft.Extensions.Logging.Abstractions;
using Shared.Logging;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;
using TestSupport.Lambda;
using TestSupport.Settings;

namespace IndexerFunction.Tests.Reliability;

/// <summary>
/// A domain endpoint whose TLS certificate the function cannot trust (self-signed, another name: a
/// proxy or a private endpoint typed wrongly into the host parameter). Certificates are always
/// validated, so nothing is sent, and the reason names the endpoint and the certificate problem.
/// </summary>
public sealed class TlsFailureTests : IAsyncLifetime
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private X509Certificate2 _certificate = null!;
    private Task _serving = Task.CompletedTask;
    private int _handshakes;

    public Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=search-not-this-domain.example", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _listener.Start();
        _serving = ServeAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }

        _certificate.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task WriteAsync_EndpointWithUntrustedCertificate_StoresNothingAndTheReasonNamesTheCertificateProblem()
    {
        using var http = OpenSearchHttp.CreateClient();
        var writer = Writer(http);

        var result = await writer.WriteAsync(
            [new BulkItem("eks-kubernetes-events-2024.06.01", "u1", "{\"reason\":\"Pulled\"}"u8.ToArray())],
            DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3),
            CancellationToken.None);

        var outcome = Assert.Single(result.Outcomes);
        Assert.False(outcome.IsStored);
        Assert.Contains("cannot reach 127.0.0.1", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("SSL", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("certificate", outcome.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(Volatile.Read(ref _handshakes) > 0, "the client never tried the endpoint");
    }

    [Fact]
    public async Task HandleAsync_EndpointWithUntrustedCertificate_EveryMessageIsABatchItemFailure()
    {
        using var http = OpenSearchHttp.CreateClient();
        var handler = new SqsBatchHandler(Writer(http), IndexerSettings.Load(FunctionSettingsFrom.Environment(("CLUSTER_NAME", "c"))), new LineWriter(new MemoryStream()), TimeProvider.System, NullLogger<SqsBatchHandler>.Instance);
        var batch = new SQSEvent
        {
            Records =
            [
                new SQSEvent.SQSMessage { MessageId = "m0", Body = SqsBatchHandlerTests.Envelope("c", SqsBatchHandlerTests.Event("t1", 1)), EventSource = "aws:sqs" },
                new SQSEvent.SQSMessage { MessageId = "m1", Body = SqsBatchHandlerTests.Event("t2", 1), EventSource = "aws:sqs" },
            ],
        };

        var response = await handler.HandleAsync(batch, new TestLambdaContext(TimeSpan.FromSeconds(3)), CancellationToken.None);

        Assert.Equal(["m0", "m1"], response.BatchItemFailures.Select(f => f.ItemIdentifier).Order());
    }

    private OpenSearchBulkWriter Writer(HttpClient http) => new(
        http,
        new FixedCredentials(new OpenSearchCredentials(new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/"), "admin", "Admin-Passw0rd!")),
        new BulkWriterOptions { RetryBackoff = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20)), DeadlineMargin = TimeSpan.FromMilliseconds(300) },
        TimeProvider.System,
        NullLogger<OpenSearchBulkWriter>.Instance);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    await using var tls = new SslStream(client.GetStream());
                    Interlocked.Increment(ref _handshakes);
                    try
                    {
                        await tls.AuthenticateAsServerAsync(_certificate);
                    }
                    catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
                    {
                        // The client refused the certificate: what the test expects.
                    }
                }
            });
        }
    }

    private sealed class FixedCredentials(OpenSearchCredentials credentials) : ICredentialsSource
    {
        public ValueTask<OpenSearchCredentials> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credentials);

        public ValueTask<OpenSearchCredentials> RefreshAsync(OpenSearchCredentials rejected, CancellationToken cancellationToken) => ValueTask.FromResult(credentials);
    }
}
