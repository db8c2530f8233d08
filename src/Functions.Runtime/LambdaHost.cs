using System.Globalization;
using Microsoft.Extensions.Logging;
using Shared.Contract.Settings;
using Shared.Logging;

namespace Functions.Runtime;

/// <summary>
/// A function's entry point. Inside Lambda (AWS_LAMBDA_RUNTIME_API set) it initializes once and runs
/// the invocation loop; outside, <c>bootstrap --event FILE</c> runs one invocation on the event in the
/// file and prints the response JSON on stdout, with logs on stderr.
/// </summary>
public static partial class LambdaHost
{
    /// <summary>Exit code for a bad command line.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs the function; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, Func<FunctionStartup, CancellationToken, Task<ILambdaHandler>> initialize)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(initialize);
        var environment = ProcessEnvironmentVariables.Instance;
        var time = TimeProvider.System;
        var level = JsonLoggerFactory.LevelFrom(environment.Get("AWS_LAMBDA_LOG_LEVEL"));
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var runtimeClient = HttpRuntimeApiClient.FromEnvironment(environment, time);
        if (runtimeClient is null)
        {
            return await RunLocalAsync(args, environment, time, level, initialize, cancellation.Token);
        }

        // Before init opens the first socket (SSM, OpenSearch, the Runtime API).
        SocketCompletions.RunInline(environment);

        using (runtimeClient)
        {
            using var loggerFactory = new JsonLoggerFactory(new JsonLoggerProvider(LineWriter.StandardOutput, level, time));
            var logger = loggerFactory.CreateLogger("Runtime");
            ILambdaHandler handler;
            try
            {
                handler = await initialize(Startup(environment, loggerFactory, time, LineWriter.StandardOutput), cancellation.Token);
            }
            catch (Exception ex) when (!cancellation.IsCancellationRequested)
            {
                // Lambda shows this to the first caller and in the console; it must say what to fix.
                LogInitFailed(logger, ex, ex.GetType().Name, ex.Message);
                await runtimeClient.ReportInitErrorAsync(LambdaError.From(ex), cancellation.Token);
                return 1;
            }

            var bootstrap = new LambdaBootstrap(runtimeClient, handler, new Logger<LambdaBootstrap>(loggerFactory));
            await bootstrap.RunAsync(cancellation.Token);
            return 0;
        }
    }

    private static async Task<int> RunLocalAsync(
        string[] args,
        IEnvironmentVariables environment,
        TimeProvider time,
        LogLevel level,
        Func<FunctionStartup, CancellationToken, Task<ILambdaHandler>> initialize,
        CancellationToken cancellationToken)
    {
        var eventFile = Option(args, "--event");
        if (eventFile is null)
        {
            await Console.Error.WriteLineAsync(
                "Usage: bootstrap --event <event.json> [--timeout <seconds>]\n" +
                "Runs one invocation on the event in the file and prints the response JSON.\n" +
                "Inside Lambda (AWS_LAMBDA_RUNTIME_API set) it serves the Runtime API instead.");
            return UsageExitCode;
        }

        var timeoutText = Option(args, "--timeout") ?? "60";
        if (!int.TryParse(timeoutText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var timeoutSeconds) || timeoutSeconds <= 0)
        {
            await Console.Error.WriteLineAsync($"--timeout '{timeoutText}' is not a positive number of seconds.");
            return UsageExitCode;
        }

        byte[] payload;
        try
        {
            payload = await File.ReadAllBytesAsync(eventFile, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Cannot read the event file '{eventFile}': {ex.Message}");
            return UsageExitCode;
        }

        // Logs and metrics go to stderr so that stdout carries only the response, ready for a pipe.
        using var loggerFactory = new JsonLoggerFactory(new JsonLoggerProvider(LineWriter.StandardError, level, time));
        var logger = loggerFactory.CreateLogger("Runtime");
        var context = new LambdaContext(time)
        {
            AwsRequestId = "local-" + Guid.NewGuid().ToString("N"),
            FunctionName = environment.Get(EnvironmentVariableNames.FunctionName) ?? "local",
            InvokedFunctionArn = string.Empty,
            TraceId = string.Empty,
            Deadline = time.GetUtcNow().AddSeconds(timeoutSeconds),
        };
        try
        {
            var handler = await initialize(Startup(environment, loggerFactory, time, LineWriter.StandardError), cancellationToken);
            LogContext.RequestId = context.AwsRequestId;
            var response = await handler.HandleAsync(payload, context, cancellationToken);
            using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(response, cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
            return 0;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogLocalInvocationFailed(logger, ex, ex.GetType().Name, ex.Message);
            await Console.Error.WriteLineAsync($"{ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static FunctionStartup Startup(IEnvironmentVariables environment, ILoggerFactory loggerFactory, TimeProvider time, LineWriter metrics) => new()
    {
        Environment = environment,
        LoggerFactory = loggerFactory,
        Time = time,
        MetricsOutput = metrics,
    };

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Critical, Message = "Initialization failed with {ErrorType}: {Reason}")]
    private static partial void LogInitFailed(ILogger logger, Exception exception, string errorType, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Local invocation failed with {ErrorType}: {Reason}")]
    private static partial void LogLocalInvocationFailed(ILogger logger, Exception exception, string errorType, string reason);
}
