using System.Globalization;
using System.Runtime.InteropServices;
using TestSupport.Processes;

namespace Benchmarks.Invocation;

/// <summary>
/// A function process under measurement: a <see cref="FunctionProcess"/> (started with only the environment
/// given, as Lambda starts one, its output drained and the last lines kept for error messages) whose CPU time is
/// read from <c>/proc/&lt;pid&gt;/stat</c> (user + system of every thread, live or ended).
/// </summary>
public sealed class MeasuredProcess : IAsyncDisposable
{
    private static readonly double TicksPerSecond = sysconf(2 /* _SC_CLK_TCK */);
    private readonly FunctionProcess _process;

    private MeasuredProcess(FunctionProcess process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Lines written to stdout and stderr so far.</summary>
    public long Lines => _process.LineCount;

    /// <summary>The last lines of output (stderr's, then stdout's).</summary>
    public string Tail => string.Join('\n', _process.StandardError.Concat(_process.StandardOutput));

    /// <summary>Starts <paramref name="path"/> with a clean environment plus <paramref name="environment"/>.</summary>
    public static MeasuredProcess Start(string path, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment) =>
        new(FunctionProcess.Start(path, environment, keepLines: 20, args));

    /// <summary>User + system CPU time of the whole process so far.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: field 3 is [0].
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>
    /// CPU time of the threads alive now, in nanoseconds (<c>/proc/&lt;pid&gt;/task/*/schedstat</c>): finer than
    /// <see cref="CpuTime"/>'s clock ticks, for short spans such as init; threads that ended are not counted.
    /// </summary>
    public TimeSpan LiveThreadsCpuTime()
    {
        long nanoseconds = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Id}/task"))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                nanoseconds += long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended while we read.
            }
        }

        return TimeSpan.FromTicks(nanoseconds / 100);
    }

    /// <summary>Threads now, and context switches of the threads alive now (voluntary, involuntary).</summary>
    public (int Threads, long Voluntary, long Involuntary) Scheduling()
    {
        int threads = 0;
        long voluntary = 0, involuntary = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Id}/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        voluntary += long.Parse(line.AsSpan(24).Trim(), CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        involuntary += long.Parse(line.AsSpan(27).Trim(), CultureInfo.InvariantCulture);
                    }
                }

                threads++;
            }
            catch (IOException)
            {
                // The thread ended while we read.
            }
        }

        return (threads, voluntary, involuntary);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // SIGTERM first, as Lambda ends an environment, so that a wrapper (a profiler) can write its output.
        await _process.TerminateAsync(TimeSpan.FromSeconds(5));
        await _process.DisposeAsync();
    }

    [DllImport("libc")]
    private static extern long sysconf(int name);
}
