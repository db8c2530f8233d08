using System.Text.Json;
using Microsoft.Extensions.Logging;
using SetupFunction.Serialization;
using Shared.Aws;

namespace SetupFunction.Handling;

/// <summary>
/// Hands the OpenSearch work to the setup function's twin inside the domain's VPC (Lambda <c>Invoke</c>, synchronous)
/// and returns what it answered. The split exists because a function in private subnets may not reach the
/// pre-signed S3 URL CloudFormation waits on: the twin reaches the domain, this one (outside the VPC) answers
/// CloudFormation, so no NAT or S3 endpoint is needed for the deploy to finish. Whatever goes wrong here becomes
/// a <see cref="ActionOutcome.NotDone"/> outcome, as for an unreachable domain.
/// </summary>
public sealed partial class DelegatedSetup(LambdaInvoker lambda, string functionName, TimeProvider time, ILogger<DelegatedSetup> logger) : IOpenSearchSetup
{
    /// <inheritdoc />
    public async Task<ActionOutcome> RunAsync(SetupCommandRequest request, TimeSpan budget, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(budget, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, SetupJsonContext.Default.SetupCommandRequest);
        const string After = "The functions install the index templates before their first write; run tools/OpenSearchSetup once the cause is fixed, or update the stack.";
        try
        {
            var answer = await lambda.InvokeAsync(functionName, payload, deadline.Token);
            if (answer.FunctionError is not null)
            {
                var error = System.Text.Encoding.UTF8.GetString(answer.Body);
                LogFailed(logger, functionName, error);
                return new ActionOutcome { Status = ActionOutcome.NotDone, Message = $"The setup function in the VPC ({functionName}) failed: {error}. {After}" };
            }

            return JsonSerializer.Deserialize(answer.Body, SetupJsonContext.Default.ActionOutcome)
                ?? throw new JsonException("The answer is null.");
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogFailed(logger, functionName, ex.Message);
            return new ActionOutcome { Status = ActionOutcome.NotDone, Message = $"Could not run the setup in the VPC through {functionName}: {ex.Message}. {After}" };
        }
    }

    [LoggerMessage(EventId = 820, Level = LogLevel.Warning, Message = "The setup function in the VPC ({Function}) did not complete: {Error}")]
    private static partial void LogFailed(ILogger logger, string function, string error);
}
