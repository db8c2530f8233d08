using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TestSupport.Processes;

/// <summary>A running executable (a function's bootstrap, the collector) with its output captured line by line.</summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly int _keepLines;
    private long _lines;

    private FunctionProcess(Process process, int keepLines)
    {
        _process = process;
        _keepLines = keepLines;
        process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Lines written to stdout so far (logs and EMF records, in Lambda mode); only the last ones when started with a line limit.</summary>
    public IReadOnlyList<string> StandardOutput => _stdout.ToArray();

    /// <summary>Lines written to stderr so far.</summary>
    public IReadOnlyList<string> StandardError => _stderr.ToArray();

    /// <summary>How many lines the process has written to stdout and stderr, kept or not.</summary>
    public long LineCount => Interlocked.Read(ref _lines);

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="path"/> with a clean environment plus <paramref name="environment"/>.</summary>
    public static FunctionProcess Start(string path, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(path, environment, int.MaxValue, args);

    /// <summary>
    /// Starts <paramref name="path"/> like <see cref="Start(string, IReadOnlyDictionary{string, string}, string[])"/>,
    /// keeping only the last <paramref name="keepLines"/> lines of each stream (a benchmark's thousands of
    /// invocations would otherwise fill memory with log lines).
    /// </summary>
    public static FunctionProcess Start(string path, IReadOnlyDictionary<string, string> environment, int keepLines, IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLines, 1);
        var start = new ProcessStartInfo(path, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Only what Lambda would set plus what the test gives: no developer credentials leak in.
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["HOME"] = Path.GetTempPath();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new FunctionProcess(Process.Start(start)!, keepLines);
    }

    /// <summary>Waits for the process to end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
    }

    /// <summary>
    /// Ends the process as Lambda ends an environment: SIGTERM, then a kill after <paramref name="grace"/>, so that
    /// a wrapper (a profiler) can write its output first.
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = kill(_process.Id, 15);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
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

    private void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
        lines.Enqueue(line);
        while (lines.Count > _keepLines)
        {
            lines.TryDequeue(out _);
        }
    }

    [DllImport("libc")]
    private static extern int kill(int pid, int signal);
}
