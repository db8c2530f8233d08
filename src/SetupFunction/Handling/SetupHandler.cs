using System.Text.Json;
using Functions.Runtime;
using Microsoft.Extensions.Logging;
using SetupFunction.CustomResources;
using SetupFunction.Serialization;

namespace SetupFunction.Handling;

/// <summary>
/// The setup function's handler. Two kinds of invocation arrive:
/// <list type="bullet">
/// <item>a CloudFormation custom resource request (it has <c>RequestType</c>): the OpenSearch setup or the cluster's
/// logging, answered by a PUT to its <c>ResponseURL</c>; Delete leaves the domain and the cluster as they are;</item>
/// <item>a command (<see cref="SetupCommandRequest"/>): from the twin outside the VPC or from the daily retention
/// schedule, answered with the <see cref="ActionOutcome"/> as the invocation's result.</item>
/// </list>
/// The OpenSearch setup always answers SUCCESS, with what happened in its <c>Status</c> and <c>Message</c>
/// attributes: the deploy must not roll back because the domain or its password is not ready (docs/deploy.md).
/// </summary>
public sealed partial class SetupHandler(
    IOpenSearchSetup openSearch,
    IClusterLogging clusterLogging,
    CustomResourceResponder responder,
    ILogger<SetupHandler> logger) : ILambdaHandler
{
    /// <summary>Time kept back from the invocation's deadline to answer CloudFormation.</summary>
    public static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public async Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool fromCloudFormation;
        using (var document = JsonDocument.Parse(payload))
        {
            fromCloudFormation = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("RequestType", out _);
        }

        var budget = context.RemainingTime - AnswerMargin;
        if (budget < TimeSpan.FromSeconds(5))
        {
            budget = TimeSpan.FromSeconds(5);
        }

        if (!fromCloudFormation)
        {
            var command = JsonSerializer.Deserialize(payload.Span, SetupJsonContext.Default.SetupCommandRequest)
                ?? throw new JsonException("The invocation is neither a CloudFormation request nor a command.");
            var outcome = command.Command is SetupCommandRequest.Setup or SetupCommandRequest.Retention
                ? await openSearch.RunAsync(command, budget, cancellationToken)
                : throw new JsonException($"Unknown command '{command.Command}': expected {SetupCommandRequest.Setup} or {SetupCommandRequest.Retention}.");
            return JsonSerializer.SerializeToUtf8Bytes(outcome, SetupJsonContext.Default.ActionOutcome);
        }

        var request = JsonSerializer.Deserialize(payload.Span, SetupJsonContext.Default.CustomResourceRequest)!;
        LogRequest(logger, request.RequestType ?? string.Empty, request.ResourceType ?? string.Empty, request.LogicalResourceId ?? string.Empty);
        var physicalId = request.PhysicalResourceId ?? $"{request.LogicalResourceId}-{StackSuffix(request.StackId)}";
        var (success, result) = await HandleRequestAsync(request, budget, cancellationToken);
        var response = await responder.SendAsync(request, success, physicalId, result.Status, result.Message, cancellationToken);
        return JsonSerializer.SerializeToUtf8Bytes(response, SetupJsonContext.Default.CustomResourceResponse);
    }

    private async Task<(bool Success, ActionOutcome Outcome)> HandleRequestAsync(CustomResourceRequest request, TimeSpan budget, CancellationToken cancellationToken)
    {
        if (request.RequestType == "Delete")
        {
            // Templates, retention policies, dashboards, indices and the cluster's logging outlive the stack: the
            // history is the user's, and a redeploy picks them up again.
            return (true, new ActionOutcome { Status = ActionOutcome.Done, Message = "Nothing removed: the domain's templates, policies, dashboards and data, and the cluster's logging, stay as they are." });
        }

        switch (request.ResourceType)
        {
            case ResourceTypes.OpenSearchSetup:
                try
                {
                    return (true, await openSearch.RunAsync(
                        new SetupCommandRequest { Command = SetupCommandRequest.Setup, Properties = request.ResourceProperties },
                        budget,
                        cancellationToken));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Whatever went wrong, the pipeline itself is fine: say so and let the deploy finish.
                    return (true, new ActionOutcome { Status = ActionOutcome.NotDone, Message = $"The setup failed unexpectedly: {ex.GetType().Name}: {ex.Message}. The functions install the index templates before their first write; run tools/OpenSearchSetup." });
                }

            case ResourceTypes.ClusterLogging:
                try
                {
                    var properties = request.ResourceProperties;
                    var types = properties is not null && properties.TryGetValue(PropertyNames.LogTypes, out var list) && list.ValueKind == JsonValueKind.Array
                        ? list.EnumerateArray().Select(t => t.GetString() ?? string.Empty).Where(t => t.Length > 0).ToList()
                        : throw new FormatException($"Property {PropertyNames.LogTypes} is missing or not a list.");
                    var outcome = await clusterLogging.RunAsync(
                        SetupProperties.Text(properties, PropertyNames.ClusterName),
                        SetupProperties.Text(properties, PropertyNames.LogGroupName),
                        types,
                        cancellationToken);
                    return (true, outcome);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Without the log group the stack's subscription filter cannot be created: fail here, saying why,
                    // rather than leave CloudFormation to fail on the filter with a vaguer message.
                    return (false, new ActionOutcome { Status = ActionOutcome.NotDone, Message = $"The cluster's control-plane log group could not be prepared: {ex.Message}" });
                }

            default:
                return (false, new ActionOutcome { Status = ActionOutcome.NotDone, Message = $"Unknown resource type '{request.ResourceType}': this function backs {ResourceTypes.OpenSearchSetup} and {ResourceTypes.ClusterLogging}." });
        }
    }

    /// <summary>The last segment of a stack ARN (its unique id), so physical ids differ between stacks.</summary>
    private static string StackSuffix(string? stackId) =>
        stackId is null ? "stack" : stackId[(stackId.LastIndexOf('/') + 1)..];

    [LoggerMessage(EventId = 840, Level = LogLevel.Information, Message = "CloudFormation {RequestType} for {ResourceType} {LogicalResourceId}")]
    private static partial void LogRequest(ILogger logger, string requestType, string resourceType, string logicalResourceId);
}
