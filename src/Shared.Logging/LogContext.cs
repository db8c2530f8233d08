namespace Shared.Logging;

/// <summary>The request id of the invocation being handled, stamped on every log record written while it runs.</summary>
public static class LogContext
{
    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The current invocation's request id, if any.</summary>
    public static string? RequestId
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}
