namespace Shared.Aws;

/// <summary>Reads an operation's successful answer; throws <see cref="System.Text.Json.JsonException"/> when it is not of the documented shape.</summary>
/// <typeparam name="T">What the answer becomes.</typeparam>
/// <param name="json">The answer's body.</param>
public delegate T AwsResponseReader<out T>(ReadOnlySpan<byte> json);
