using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TestSupport.Kubernetes;

namespace TestSupport.Processes;

/// <summary>
/// The collector as a real process (<c>dotnet Collector.dll</c> from the Collector project's own build output,
/// built by the tests' project reference; run from there so that it loads its own dependencies, not the test
/// host's), configured only through its environment and a kubeconfig file, the way an operator
/// runs it outside a cluster. <see cref="DisposeAsync"/> kills it without warning (SIGKILL: no flush, no
/// shutdown hook), like an OOM kill or a node loss; <see cref="Terminate"/> sends SIGTERM as the kubelet does.
/// </summary>
public sealed class CollectorProcess : IAsyncDisposable
{
    private readonly FunctionProcess _process;
    private readonly string _kubeconfig;

    private CollectorProcess(FunctionProcess process, string kubeconfig, int port)
    {
        _process = process;
        _kubeconfig = kubeconfig;
        // Generous: on a loaded machine a probe may wait seconds for a thread; the collector itself drops a
        // request after 10 s, so this only bounds a collector that hangs.
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A client for the collector's health and metrics port.</summary>
    public HttpClient Http { get; }

    /// <summary>Lines written to stdout.</summary>
    public IReadOnlyList<string> StandardOutput => _process.StandardOutput;

    /// <summary>Lines written to stderr.</summary>
    public IReadOnlyList<string> StandardError => _process.StandardError;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the collector against <paramref name="apiServer"/> with a clean environment plus <paramref name="environment"/>.</summary>
    public static CollectorProcess Start(Uri apiServer, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(apiServer);
        return Start(apiServer.ToString(), environment, args);
    }

    /// <summary>Starts the collector against the double, or, with null, against an address where nothing listens.</summary>
    public static CollectorProcess Start(KubernetesApiDouble? api, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(api?.Host.ToString() ?? "http://127.0.0.1:1", environment, args);

    /// <summary>
    /// Starts the Native AOT executable, as the container image runs it (published into
    /// artifacts/publish/Collector, see <see cref="PublishedFunction"/>), against the double.
    /// </summary>
    public static async Task<CollectorProcess> StartPublishedAsync(KubernetesApiDouble api, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(api);
        var executable = await PublishedFunction.EnsureAsync("Collector", "Collector");
        return Start(api.Host.ToString(), environment, args, executable);
    }

    private static CollectorProcess Start(string apiServer, IReadOnlyDictionary<string, string> environment, string[] args, string? executable = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var kubeconfig = Path.Combine(Path.GetTempPath(), "collector-kubeconfig-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: double
              cluster:
                server: {apiServer.TrimEnd('/')}
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
        // A clean environment (FunctionProcess keeps only PATH and HOME): nothing of the developer's
        // kubeconfig or AWS credentials leaks in.
        var variables = new Dictionary<string, string>
        {
            ["DOTNET_CLI_HOME"] = Path.GetTempPath(),
            ["KUBECONFIG"] = kubeconfig,
            ["HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        var process = executable is null
            ? FunctionProcess.Start("dotnet", variables, [CollectorAssembly(), .. args])
            : FunctionProcess.Start(executable, variables, args);
        return new CollectorProcess(process, kubeconfig, port);
    }

    /// <summary>src/Collector/bin/&lt;configuration&gt;/&lt;tfm&gt;/Collector.dll, for the configuration the tests were built in.</summary>
    private static string CollectorAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(RepositoryRoot.Path, "src", "Collector", "bin", testOutput.Parent!.Name, testOutput.Name, "Collector.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException("The collector is not built: build the test project (it references src/Collector) first.", path);
    }

    /// <summary>Sends SIGTERM, as the kubelet does when the pod is deleted.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end; returns its exit code.</summary>
    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>True when /readyz answers 200.</summary>
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

    /// <summary>The value of an unlabelled counter or gauge, or null when the collector does not answer.</summary>
    public async Task<double?> MetricAsync(string name)
    {
        try
        {
            var text = await Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits until /readyz answers 200 (the first list is done and the watch is open).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri("/readyz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The collector did not become ready: " + string.Join('\n', StandardError.TakeLast(20)));
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Kills the process at once.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
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
