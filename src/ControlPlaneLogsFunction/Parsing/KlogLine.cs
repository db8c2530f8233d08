namespace ControlPlaneLogsFunction.Parsing;

/// <summary>The parts of a klog line: <c>Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg</c>.</summary>
public readonly ref struct KlogLine
{
    /// <summary>Creates the parsed line.</summary>
    public KlogLine(char level, int month, int day, TimeSpan timeOfDay, long threadId, ReadOnlySpan<char> source, ReadOnlySpan<char> message)
    {
        Level = level;
        Month = month;
        Day = day;
        TimeOfDay = timeOfDay;
        ThreadId = threadId;
        Source = source;
        Message = message;
    }

    /// <summary>I, W, E or F.</summary>
    public char Level { get; }

    /// <summary>Month from the header (1-12).</summary>
    public int Month { get; }

    /// <summary>Day of month from the header.</summary>
    public int Day { get; }

    /// <summary>Time of day from the header, to the microsecond.</summary>
    public TimeSpan TimeOfDay { get; }

    /// <summary>The thread (goroutine-independent process thread) id.</summary>
    public long ThreadId { get; }

    /// <summary><c>file.go:123</c>.</summary>
    public ReadOnlySpan<char> Source { get; }

    /// <summary>Everything after <c>"] "</c>, trailing lines included.</summary>
    public ReadOnlySpan<char> Message { get; }

    /// <summary>The <c>severity</c> field: info, warning, error or fatal.</summary>
    public string Severity => Level switch
    {
        'I' => "info",
        'W' => "warning",
        'E' => "error",
        _ => "fatal",
    };
}
