namespace Functions.Runtime;

/// <summary>One event received from the Runtime API.</summary>
/// <param name="Payload">The event JSON.</param>
/// <param name="Context">The invocation's context.</param>
public sealed record Invocation(ReadOnlyMemory<byte> Payload, LambdaContext Context);
