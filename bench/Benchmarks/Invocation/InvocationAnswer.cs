namespace Benchmarks.Invocation;

/// <summary>What a function answered to one invocation.</summary>
/// <param name="IsError">True when it posted to <c>/error</c>.</param>
/// <param name="Body">The response or error document.</param>
public sealed record InvocationAnswer(bool IsError, byte[] Body)
{
    /// <summary>The body as text.</summary>
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
