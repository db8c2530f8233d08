using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Benchmarks.Invocation;

/// <summary>
/// A function process under measurement: started with only the environment given (as Lambda starts one),
/// its output drained as Lambda's log collector drains it (the last lines kept for error messages), and its
/// CPU time read from <c>/proc/&lt;pid&gt;/stat</c> (user + system of every thread, live or ended).
/// </summary>
public sealed class MeasuredProcess : IAsyncDisposable
{
    private static readonly double TicksPerSecond = sysconf(2 /* _SC_CLK_TCK */);
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private long _lines;

    private MeasuredProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Lines written to stdout and stderr so far.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>The last lines of output.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Starts <paramref name="path"/> with a clean environment plus <paramref name="environment"/>.</summary>
    public static MeasuredProcess Start(string path, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(path, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Path.GetTempPath();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new MeasuredProcess(Process.Start(start)!);
    }

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
        if (!_process.HasExited)
        {
            // SIGTERM first, as Lambda ends an environment, so that a wrapper (a profiler) can write its output.
            _ = kill(_process.Id, 15);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    [DllImport("libc")]
    private static extern long sysconf(int name);

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);
}
