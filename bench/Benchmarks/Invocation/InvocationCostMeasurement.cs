using System.Diagnostics;
using System.Globalization;
using Benchmarks.ControlPlane;
using Benchmarks.Indexer;
using TestSupport;
using TestSupport.Lambda;
using TestSupport.Processes;

namespace Benchmarks.Invocation;

/// <summary>
/// Process-level cost per invocation, measured as Lambda runs a function: one process, each invocation
/// fetched from a Runtime API, handled, written to a domain over TLS with keep-alive, and answered; the
/// process's CPU (user + system, all threads) between the end of a warm-up and the end of N invocations.
/// Our published Native AOT <c>bootstrap</c> and, for ControlPlaneLogsFunction, the Node.js blueprint
/// (<c>bench/blueprint-runtime.mjs</c> around the user's copy) are run the same way, on the same payloads,
/// one after the other in the same minutes. Usage in docs/performance.md; not part of the test suite.
/// </summary>
public static class InvocationCostMeasurement
{
    private const string Prefix = "/bench/opensearch";
    private const string BlueprintParameter = "/bench/blueprint/endpoint";

    // Unsampled, as most production invocations are: the function does nothing for tracing.
    private const string UnsampledTrace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";
    private static readonly TimeSpan InvocationTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Runs the measurement and prints a table.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args[1..]);
        if (options is null)
        {
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }

        var bootstrap = options.Bootstrap ?? await PublishedFunction.EnsureAsync(options.Function);
        var workloads = options.Function == "IndexerFunction" ? IndexerWorkloads(options) : ControlPlaneWorkloads(options);

        using var certificate = LoopbackCertificate.Create();
        await using var domain = await DomainStandIn.StartAsync(certificate);
        await using var runtime = await RuntimeApiDouble.StartAsync();
        await using var parameters = await ParameterStandIn.StartAsync(new Dictionary<string, string>
        {
            [Prefix + "/host"] = $"https://127.0.0.1:{domain.Port}",
            [Prefix + "/user"] = "admin",
            [Prefix + "/password"] = "Admin-Passw0rd!",
            [BlueprintParameter] = LoopbackCertificate.DomainHost,
        });
        var shared = new Dictionary<string, string>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtime.HostAndPort,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = options.MemoryMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ["AWS_SESSION_TOKEN"] = "bench-session-token",
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
        };

        var implementations = new List<Implementation>();
        if (options.Blueprint is not null)
        {
            implementations.Add(Node("blueprint (Node " + await NodeVersionAsync() + ")", options.Blueprint, options, shared, domain, parameters, certificate));
        }

        if (options.NodeLoop)
        {
            implementations.Add(Node("Node runtime loop alone (--noop)", "--noop", options, shared, domain, parameters, certificate));
        }

        var ours = new Dictionary<string, string>(shared)
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = options.Function,
            ["AWS_ENDPOINT_URL_SSM"] = parameters.Endpoint.ToString().TrimEnd('/'),
            ["SSM_PARAMETER_PREFIX"] = Prefix,
            ["CLUSTER_NAME"] = "bench",
            ["OPENSEARCH_AUTH"] = options.Auth,
            ["SSL_CERT_FILE"] = certificate.PemPath,
        };
        Func<InvocationOutcome, bool> isSuccess = options.Function == "IndexerFunction" ? IsIndexerSuccess : IsSummarySuccess;
        implementations.Add(new Implementation($"ours ({options.Function}, Native AOT)", bootstrap, [], ours, isSuccess));

        // Variants of ours, for comparing levers in the same minutes: another executable and/or extra variables.
        foreach (var variant in options.Variants)
        {
            implementations.Add(new Implementation(
                "ours, " + variant.Name,
                variant.Bootstrap ?? bootstrap,
                [],
                variant.Environment.Aggregate(new Dictionary<string, string>(ours), (all, kv) =>
                {
                    all[kv.Key] = kv.Value;
                    return all;
                }),
                isSuccess));
        }

        Console.WriteLine($"invocation-cost {string.Join(' ', args[1..])}");
        Console.WriteLine($"{DateTimeOffset.Now:yyyy-MM-dd HH:mm}, load average at start {LoadAverage()}; {Environment.ProcessorCount} cores; bootstrap {bootstrap} ({File.GetLastWriteTime(bootstrap):yyyy-MM-dd HH:mm})");
        Console.WriteLine();
        Console.WriteLine("| workload | implementation | invocations | CPU per invocation | lines per CPU-second | wall per invocation | threads | context switches per invocation (voluntary + involuntary) | init to first next (wall, CPU) | load average |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        var results = new List<Result>();
        foreach (var workload in workloads)
        {
            for (var round = 0; round < options.Rounds; round++)
            {
                // Alternate the order, so that neither implementation always runs first after a pause.
                var order = round % 2 == 0 ? implementations : Enumerable.Reverse(implementations).ToList();
                foreach (var implementation in order)
                {
                    var result = await MeasureAsync(implementation, workload, runtime, domain, options);
                    results.Add(result);
                    Console.WriteLine(
                        $"| {workload.Name} | {implementation.Name} | {result.Invocations} | {result.CpuPerInvocation.TotalMilliseconds:F3} ms | {result.LinesPerCpuSecond:N0} | {result.WallPerInvocation.TotalMilliseconds:F3} ms | {result.Threads} | {result.VoluntarySwitches:F1} + {result.InvoluntarySwitches:F1} | {result.Init.TotalMilliseconds:F0} ms, {result.InitCpu.TotalMilliseconds:F0} ms CPU | {result.Load} |");
                }
            }
        }

        if (options.Blueprint is not null)
        {
            Console.WriteLine();
            Console.WriteLine("| workload | blueprint lines/CPU-s (median) | ours | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var workload in workloads)
            {
                var blueprint = Median(results.Where(r => r.Workload == workload.Name && r.Implementation == implementations[0].Name).Select(r => r.LinesPerCpuSecond));
                var oursMedian = Median(results.Where(r => r.Workload == workload.Name && r.Implementation.StartsWith("ours (", StringComparison.Ordinal)).Select(r => r.LinesPerCpuSecond));
                Console.WriteLine($"| {workload.Name} | {blueprint:N0} | {oursMedian:N0} | {oursMedian / blueprint:F1}x |");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average at end {LoadAverage()}");
        return 0;
    }

    private static async Task<Result> MeasureAsync(Implementation implementation, Workload workload, RuntimeApiDouble runtime, DomainStandIn domain, Options options)
    {
        var invocations = Math.Max(20, (int)(options.Scale * 400_000 / (workload.Lines + 100)));
        var warmUp = Math.Max(20, invocations / 5);
        var before = runtime.NextRequests;
        var clock = Stopwatch.StartNew();
        await using var process = MeasuredProcess.Start(implementation.Executable, implementation.Arguments, implementation.Environment);
        while (runtime.NextRequests == before)
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"{implementation.Name} did not ask for an event: {(runtime.InitError.IsCompleted ? runtime.InitError.Result.Text : string.Empty)}\n{process.Tail}");
            }

            await Task.Delay(1);
        }

        var init = clock.Elapsed;
        var initCpu = process.LiveThreadsCpuTime();
        var payload = 0;
        async Task RunAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var task = runtime.InvokeAsync(workload.Payloads[payload++ % workload.Payloads.Count], InvocationTimeout, traceId: UnsampledTrace);
                if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) != task || process.HasExited)
                {
                    throw new InvalidOperationException($"{implementation.Name} did not answer an invocation of {workload.Name}:\n{process.Tail}");
                }

                var answer = await task;
                if (answer.IsError || !implementation.IsSuccess(answer))
                {
                    throw new InvalidOperationException($"{implementation.Name} failed an invocation of {workload.Name}: {answer.Text}\n{process.Tail}");
                }
            }
        }

        await RunAsync(warmUp);
        var documentsBefore = domain.Documents;
        var cpuBefore = process.CpuTime();
        var (_, voluntaryBefore, involuntaryBefore) = process.Scheduling();
        var wall = Stopwatch.StartNew();
        if (options.ShowPid)
        {
            Console.Error.WriteLine($"measuring {implementation.Name} on {workload.Name}: pid {process.Id}");
        }

        await RunAsync(invocations);
        wall.Stop();
        var cpu = process.CpuTime() - cpuBefore;
        var (threads, voluntary, involuntary) = process.Scheduling();
        var documents = domain.Documents - documentsBefore;
        if (implementation.Indexes && documents != (long)invocations * workload.Lines)
        {
            throw new InvalidOperationException($"{implementation.Name} sent {documents} documents for {invocations} invocations of {workload.Lines} lines");
        }

        return new Result(
            workload.Name,
            implementation.Name,
            invocations,
            cpu / invocations,
            invocations * workload.Lines / cpu.TotalSeconds,
            wall.Elapsed / invocations,
            threads,
            (double)(voluntary - voluntaryBefore) / invocations,
            (double)(involuntary - involuntaryBefore) / invocations,
            init,
            initCpu,
            LoadAverage());
    }

    private static Implementation Node(string name, string script, Options options, Dictionary<string, string> shared, DomainStandIn domain, ParameterStandIn parameters, LoopbackCertificate certificate)
    {
        // The flags Lambda's Node.js bootstrap passes for the function's memory size.
        var newSpace = options.MemoryMb / 10;
        string[] arguments =
        [
            "--expose-gc",
            "--max-http-header-size", "81920",
            $"--max-semi-space-size={newSpace / 2}",
            $"--max-old-space-size={options.MemoryMb - newSpace}",
            Path.Combine(RepositoryRoot.Path, "bench", "blueprint-runtime.mjs"),
            script == "--noop" ? script : Path.GetFullPath(script),
        ];
        return new Implementation(name, "node", arguments, new Dictionary<string, string>(shared)
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "logs-to-opensearch",
            ["OPENSEARCH_HOST_PARAMETER_PATH"] = BlueprintParameter,
            ["OPENSEARCH_INDEX_NAME"] = "eks-control-plane-logs",
            ["NODE_EXTRA_CA_CERTS"] = certificate.PemPath,
            ["BENCH_DOMAIN_PORT"] = domain.Port.ToString(CultureInfo.InvariantCulture),
            ["BENCH_EXTENSION_PORT"] = parameters.Endpoint.Port.ToString(CultureInfo.InvariantCulture),
        }, script == "--noop" ? _ => true : answer => answer.Text == "\"Success\"", Indexes: script != "--noop");
    }

    private static List<Workload> ControlPlaneWorkloads(Options options) =>
        options.Sizes.Select(lines =>
        {
            // One delivery per stream, cycled: a delivery holds one stream's lines, as CloudWatch Logs sends them.
            var payloads = Enumerable.Range(0, MixedPayloads.Streams.Count)
                .Select(s => (ReadOnlyMemory<byte>)MixedPayloads.Delivery(s, lines, firstLine: s * 100_000).Event)
                .ToList();
            return new Workload($"{lines} line{(lines == 1 ? string.Empty : "s")} per delivery", lines, payloads);
        }).ToList();

    private static List<Workload> IndexerWorkloads(Options options) =>
    [
        new("1 message × 1 event", 1, [SampleEvents.Payload(messages: 1, perMessage: 1)]),
        new("10 messages × 100 events", 1000, [SampleEvents.Payload(messages: 10, perMessage: 100)]),
    ];

    private static bool IsSummarySuccess(InvocationOutcome answer) =>
        answer.Text.Contains("\"documentsIndexed\"", StringComparison.OrdinalIgnoreCase);

    private static bool IsIndexerSuccess(InvocationOutcome answer) => answer.Text == "{\"batchItemFailures\":[]}";

    private static async Task<string> NodeVersionAsync()
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var version = (await node.StandardOutput.ReadToEndAsync()).Trim();
        await node.WaitForExitAsync();
        return version.TrimStart('v');
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Workload(string Name, int Lines, List<ReadOnlyMemory<byte>> Payloads);

    private sealed record Implementation(string Name, string Executable, string[] Arguments, Dictionary<string, string> Environment, Func<InvocationOutcome, bool> IsSuccess, bool Indexes = true);

    private sealed record Result(string Workload, string Implementation, int Invocations, TimeSpan CpuPerInvocation, double LinesPerCpuSecond, TimeSpan WallPerInvocation, int Threads, double VoluntarySwitches, double InvoluntarySwitches, TimeSpan Init, TimeSpan InitCpu, string Load);

    private sealed record Variant(string Name, string? Bootstrap, Dictionary<string, string> Environment)
    {
        // NAME[=BOOTSTRAP][:K=V,K=V]
        public static Variant Parse(string text)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var head = colon < 0 ? text : text[..colon];
            var environment = colon < 0
                ? new Dictionary<string, string>()
                : text[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
            var equals = head.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? new Variant(head, null, environment) : new Variant(head[..equals], Path.GetFullPath(head[(equals + 1)..]), environment);
        }
    }

    private sealed record Options(string? Blueprint, string Function, string? Bootstrap, int Rounds, double Scale, int[] Sizes, string Auth, int MemoryMb, bool NodeLoop, bool ShowPid, List<Variant> Variants)
    {
        public const string Usage = """
            usage: invocation-cost [--blueprint <logs-to-opensearch.js>] [--function ControlPlaneLogsFunction|IndexerFunction]
                                   [--bootstrap <path>] [--rounds 2] [--scale 1] [--sizes 1,100,1000] [--auth sigv4|basic]
                                   [--memory 512] [--node-loop] [--pid] [--variant NAME[=BOOTSTRAP][:VAR=VALUE,...]]...
            """;

        public static Options? Parse(string[] args)
        {
            var o = new Options(null, "ControlPlaneLogsFunction", null, 2, 1, [1, 100, 1000], "sigv4", 512, false, false, []);
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                o = args[i] switch
                {
                    "--blueprint" => o with { Blueprint = Value() },
                    "--function" => o with { Function = Value() },
                    "--bootstrap" => o with { Bootstrap = Path.GetFullPath(Value()) },
                    "--rounds" => o with { Rounds = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--scale" => o with { Scale = double.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--sizes" => o with { Sizes = Value().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                    "--auth" => o with { Auth = Value() },
                    "--memory" => o with { MemoryMb = int.Parse(Value(), CultureInfo.InvariantCulture) },
                    "--node-loop" => o with { NodeLoop = true },
                    "--pid" => o with { ShowPid = true },
                    "--variant" => o with { Variants = [.. o.Variants, Variant.Parse(Value())] },
                    _ => null!,
                };
                if (o is null)
                {
                    return null;
                }
            }

            return o.Function is "ControlPlaneLogsFunction" or "IndexerFunction" && (o.Blueprint is null || o.Function == "ControlPlaneLogsFunction") ? o : null;
        }
    }
}
