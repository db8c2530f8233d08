using System.Text;
using System.Text.Json;

namespace TestSupport.Lambda;

/// <summary>What a function posted back for one invocation (or for init).</summary>
/// <param name="IsError">True for <c>error</c> and <c>init/error</c>.</param>
/// <param name="Body">The posted body.</param>
/// <param name="ErrorType">The Lambda-Runtime-Function-Error-Type header, for errors.</param>
/// <param name="ContentType">The posted content type.</param>
public sealed record InvocationOutcome(bool IsError, byte[] Body, string? ErrorType, string? ContentType)
{
    /// <summary>The body as text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The body as JSON.</summary>
    public JsonDocument Json() => JsonDocument.Parse(Body);
}
