using Microsoft.Extensions.Logging;
using Shared.Contract.Settings;
using Shared.Logging;

namespace Functions.Runtime;

/// <summary>
/// The invocation loop: <c>next</c>, handle, <c>response</c> or <c>error</c>, forever. One invocation
/// at a time, as Lambda delivers them.
/// </summary>
public sealed partial class LambdaBootstrap(IRuntimeApiClient client, ILambdaHandler handler, ILogger<LambdaBootstrap> logger)
{
    /// <summary>Runs until cancelled or until the Runtime API fails (then the process should exit and Lambda starts a new one).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunOnceAsync(cancellationToken);
        }
    }

    /// <summary>Fetches and handles one invocation.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var invocation = await client.GetNextInvocationAsync(cancellationToken);
        var context = invocation.Context;
        LogContext.RequestId = context.AwsRequestId;
        // The X-Ray SDK and any downstream call read the trace header from the environment.
        Environment.SetEnvironmentVariable(EnvironmentVariableNames.TraceId, context.TraceId.Length == 0 ? null : context.TraceId);
        try
        {
            byte[] response;
            try
            {
                response = await handler.HandleAsync(invocation.Payload, context, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Any fault the handler did not turn into a partial response fails the whole invocation,
                // so Lambda retries it: nothing is acknowledged that was not stored.
                LogInvocationFailed(logger, ex, ex.GetType().Name);
                await client.ReportInvocationErrorAsync(context.AwsRequestId, LambdaError.From(ex), cancellationToken);
                return;
            }

            await client.SendResponseAsync(context.AwsRequestId, response, cancellationToken);
        }
        finally
        {
            LogContext.RequestId = null;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Invocation failed with {ErrorType}; reporting it to Lambda")]
    private static partial void LogInvocationFailed(ILogger logger, Exception exception, string errorType);
}
