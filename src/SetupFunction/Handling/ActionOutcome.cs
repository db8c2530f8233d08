using System.Text.Json.Serialization;

namespace SetupFunction.Handling;

/// <summary>
/// How a setup or logging action ended, in words for the stack's output: it never fails the stack, so this
/// is where a user learns that the setup could not reach the domain, and what to do.
/// </summary>
public sealed class ActionOutcome
{
    /// <summary>Everything was done.</summary>
    public const string Done = "DONE";

    /// <summary>Done, with something for the user to look at.</summary>
    public const string Warning = "WARNING";

    /// <summary>Not done; the message says why and what installs it later.</summary>
    public const string NotDone = "NOT_DONE";

    /// <summary>One of <see cref="Done"/>, <see cref="Warning"/>, <see cref="NotDone"/>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>What happened, one paragraph.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; init; }
}
