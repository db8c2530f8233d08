using System.Diagnostics;
using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using TestSupport;
using TestSupport.Lambda;
using TestSupport.Moto;
using TestSupport.Processes;

namespace Benchmarks.Indexer;

/// <summary>
/// Process-level measurement of a function's init: from process start to its first <c>next</c> request
/// to the Runtime API, which includes reading the settings and the SSM parameters (from moto on
/// loopback). Measures the Native AOT bootstrap and, beside it, the same code on the JIT.
/// Run: <c>dotnet run -c Release --project bench/Benchmarks -- init-time [runs] [function]</c>.
/// </summary>
public static class InitTimeMeasurement
{
    /// <summary>Runs the measurement and prints a table.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var function = args.Length > 2 ? args[2] : "IndexerFunction";
        var aot = await PublishedFunction.EnsureAsync(function);
        var jit = await PublishJitAsync(function);

        await using var moto = await MotoServer.StartAsync();
        await using var runtime = await RuntimeApiDouble.StartAsync();
        using (var ssm = new AmazonSimpleSystemsManagementClient(MotoFixture.Credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = moto.Endpoint.ToString(), AuthenticationRegion = MotoServer.Region }))
        {
            foreach (var (name, type) in new[] { ("host", ParameterType.String), ("user", ParameterType.SecureString), ("password", ParameterType.SecureString) })
            {
                await ssm.PutParameterAsync(new PutParameterRequest { Name = "/bench/opensearch/" + name, Value = "https://search-bench.eu-west-1.es.amazonaws.com", Type = type, Overwrite = true });
            }
        }

        var environment = new Dictionary<string, string>(moto.Environment)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_NAME"] = function,
            ["SSM_PARAMETER_PREFIX"] = "/bench/opensearch",
            ["CLUSTER_NAME"] = "bench",
        };

        // moto is Python and answers in milliseconds of its own; an instant SSM endpoint isolates the
        // function's own init from the emulator's latency.
        await using var instant = await InstantSsmAsync();
        var instantEnvironment = new Dictionary<string, string>(environment) { ["AWS_ENDPOINT_URL"] = instant.Endpoint.ToString().TrimEnd('/') };

        Console.WriteLine($"{function}: process start -> first Runtime API `next`, {runs} runs each");
        Console.WriteLine("| build | SSM | median ms | p90 ms | min ms | executable |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var medians = new Dictionary<string, double>();
        foreach (var (label, executable, arguments) in new[] { ("Native AOT", aot, Array.Empty<string>()), ("JIT (same code)", "dotnet", new[] { jit }) })
        {
            foreach (var (ssmLabel, env) in new[] { ("moto on loopback", environment), ("instant endpoint", instantEnvironment) })
            {
                var times = await MeasureAsync(runtime, executable, arguments, env, runs);
                medians[$"{label}/{ssmLabel}"] = Median(times);
                var size = label == "Native AOT" ? $"bootstrap, {new FileInfo(aot).Length / 1024.0 / 1024.0:F1} MiB" : $"{Path.GetFileName(jit)} + .NET runtime";
                Console.WriteLine($"| {label} | {ssmLabel} | {Median(times):F1} | {P90(times):F1} | {times.Min():F1} | {size} |");
            }
        }

        Console.WriteLine($"JIT / AOT median ratio (moto): {medians["JIT (same code)/moto on loopback"] / medians["Native AOT/moto on loopback"]:F1}x");
        return 0;
    }

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, Uri Endpoint)> InstantSsmCoreAsync()
    {
        var app = Kestrel.CreateBuilder().Build();
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(app, "/", () => Microsoft.AspNetCore.Http.Results.Text(
            """{"InvalidParameters":[],"Parameters":[{"Name":"/bench/opensearch/host","Type":"String","Value":"https://search-bench.eu-west-1.es.amazonaws.com","Version":1},{"Name":"/bench/opensearch/user","Type":"SecureString","Value":"admin","Version":1},{"Name":"/bench/opensearch/password","Type":"SecureString","Value":"pw","Version":1}]}""",
            "application/x-amz-json-1.1"));
        return (app, await Kestrel.StartAsync(app));
    }

    private static async Task<InstantSsm> InstantSsmAsync()
    {
        var (app, endpoint) = await InstantSsmCoreAsync();
        return new InstantSsm(app, endpoint);
    }

    private sealed record InstantSsm(Microsoft.AspNetCore.Builder.WebApplication App, Uri Endpoint) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<List<double>> MeasureAsync(RuntimeApiDouble runtime, string executable, string[] args, Dictionary<string, string> environment, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var before = runtime.NextRequests;
            var clock = Stopwatch.StartNew();
            await using var process = FunctionProcess.Start(executable, environment, args);
            while (runtime.NextRequests == before)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{executable} exited during init: {string.Join('\n', process.StandardOutput)}");
                }

                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{executable} did not ask for an event within 30 s.");
                }

                Thread.SpinWait(1000);
            }

            var elapsed = clock.Elapsed.TotalMilliseconds;
            if (i > 0)
            {
                times.Add(elapsed); // the first run warms the file cache and moto
            }
        }

        return times;
    }

    private static async Task<string> PublishJitAsync(string function)
    {
        var output = Path.Combine(RepositoryRoot.Path, "artifacts", "jit", function);
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(RepositoryRoot.Path, "src", function), "-c", "Release", "-p:PublishAot=false", "-o", output, "-nologo"])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? Path.Combine(output, function + ".dll") : throw new InvalidOperationException("JIT publish failed");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static double P90(List<double> values) => values.Order().ElementAt((int)Math.Ceiling(values.Count * 0.9) - 1);
}
