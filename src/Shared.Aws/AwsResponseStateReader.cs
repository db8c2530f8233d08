namespace Shared.Aws;

/// <summary>
/// Reads an operation's successful answer with state the caller passes along (the batch the answer is about, a
/// reused result list), so that a hot path needs no closure per call; throws
/// <see cref="System.Text.Json.JsonException"/> when the answer is not of the documented shape.
/// </summary>
/// <typeparam name="TState">What the reader needs besides the answer.</typeparam>
/// <typeparam name="T">What the answer becomes.</typeparam>
/// <param name="json">The answer's body, valid only during the call.</param>
/// <param name="state">The state given to the call.</param>
public delegate T AwsResponseStateReader<in TState, out T>(ReadOnlySpan<byte> json, TState state);
