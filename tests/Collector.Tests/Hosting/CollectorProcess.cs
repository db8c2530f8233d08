using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TestSupport.Kubernetes;

namespace Collector.Tests.Hosting;

/// <summary>
/// The collector as a real process (<c>dotnet Collector.dll</c>, built next to the tests), configured only
/// through its environment and a kubeconfig file, the way an operator runs it outside a cluster.
/// </summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly string _kubeconfig;

    private CollectorProcess(Process process, string kubeconfig, int port)
    {
        _process = process;
        _kubeconfig = kubeconfig;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Http { get; }

    public IReadOnlyList<string> StandardOutput => [.. _stdout];

    public IReadOnlyList<string> StandardError => [.. _stderr];

    public bool HasExited => _process.HasExited;

    public static CollectorProcess Start(KubernetesApiDouble? api, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), "collector-kubeconfig-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: double
              cluster:
                server: {api?.Host.ToString().TrimEnd('/') ?? "http://127.0.0.1:1"}
            users:
            - name: tester
              user:
                token: test-token
            contexts:
            - name: double
              context:
                cluster: double
                user: tester
            current-context: double
            """);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Collector.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // A clean environment: nothing of the developer's kubeconfig or AWS credentials leaks in.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new CollectorProcess(Process.Start(start)!, kubeconfig, port);
    }

    /// <summary>Sends SIGTERM, as the kubelet does when the pod is deleted.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async Task<bool> IsReadyAsync()
    {
        try
        {
            return (await Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
        File.Delete(_kubeconfig);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
