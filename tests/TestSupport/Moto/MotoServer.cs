using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TestSupport.Moto;

/// <summary>
/// A real <c>moto_server</c> process on 127.0.0.1 and a free port: the AWS emulator the tests use for
/// SQS, SSM, IAM, KMS, CloudWatch Logs, Lambda and CloudFormation. Start one per test run (an xunit
/// collection fixture), not one per test; each test isolates itself with its own names.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    /// <summary>moto's default account.</summary>
    public const string AccountId = "123456789012";

    /// <summary>The region every test client uses.</summary>
    public const string Region = "us-east-1";

    private readonly Process _process;

    private MotoServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Base address of the emulator, e.g. http://127.0.0.1:41234.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// The environment a process (a published function, the collector, the AWS CLI) needs to talk to
    /// this emulator through the standard AWS SDK settings, with throwaway credentials.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/'),
        ["AWS_REGION"] = Region,
        ["AWS_DEFAULT_REGION"] = Region,
        ["AWS_ACCESS_KEY_ID"] = "testing",
        ["AWS_SECRET_ACCESS_KEY"] = "testing",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>Starts moto_server and waits until it answers, or fails with a message that says what to install.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                "moto_server is not on PATH. The emulator tests need it: install it with `pip install 'moto[server]'` " +
                "(our machines and CI have it). " + ex.Message, ex);
        }

        // moto logs every request; drain the pipes so it never blocks on a full buffer.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        // A generous bound, not a timing assumption: moto starts in about 2 s on an idle machine, but a Python
        // interpreter importing moto on a machine busy with parallel builds has been seen to need over 30 s.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {process.ExitCode} before it answered on port {port}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(endpoint, "moto-api/"), cancellationToken);
                return new MotoServer(process, endpoint);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"moto_server did not answer on {endpoint} within {StartTimeout.TotalSeconds} s.");
    }

    /// <summary>Applies <see cref="Environment"/> to a process start description.</summary>
    public void ApplyTo(ProcessStartInfo start)
    {
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
