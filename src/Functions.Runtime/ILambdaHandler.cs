namespace Functions.Runtime;

/// <summary>A function's handler: the event's raw JSON in, the response's raw JSON out.</summary>
/// <remarks>
/// Bytes on both sides keep serialization in the function, with its own source-generated context,
/// and let the loop stay ignorant of event types. An exception means the whole invocation failed.
/// </remarks>
public interface ILambdaHandler
{
    /// <summary>Handles one invocation.</summary>
    Task<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken cancellationToken);
}
