namespace Functions.Runtime;

/// <summary>One event received from the Runtime API.</summary>
/// <param name="Payload">The event JSON.</param>
/// <param name="Context">Request id, deadline and trace header Lambda sent with the event in the <c>next</c> response headers.</param>
public sealed record Invocation(ReadOnlyMemory<byte> Payload, LambdaContext Context);
