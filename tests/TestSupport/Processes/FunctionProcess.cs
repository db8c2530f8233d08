using System.Collections.Concurrent;
using System.Diagnostics;

namespace TestSupport.Processes;

/// <summary>A running executable (a function's bootstrap, the collector) with its output captured line by line.</summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private FunctionProcess(Process process)
    {
        _process = process;
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

    /// <summary>Lines written to stdout so far (logs and EMF records, in Lambda mode).</summary>
    public IReadOnlyList<string> StandardOutput => _stdout.ToArray();

    /// <summary>Lines written to stderr so far.</summary>
    public IReadOnlyList<string> StandardError => _stderr.ToArray();

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="path"/> with a clean environment plus <paramref name="environment"/>.</summary>
    public static FunctionProcess Start(string path, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(environment);
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

        return new FunctionProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the process to end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the output handlers
        return _process.ExitCode;
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
}
