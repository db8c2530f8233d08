namespace TestSupport.Kubernetes;

/// <summary>A watch or list request the double received, for assertions on how the client resumed.</summary>
public sealed record WatchRequest(bool Watch, string? Namespace, string ResourceVersion, bool AllowWatchBookmarks, string? Continue, int Limit)
{
    /// <summary>The fault this watch request was answered with (<see cref="WatchFault.None"/> for a list or a normal watch).</summary>
    public WatchFault Fault { get; init; } = WatchFault.None;

    /// <summary>A list from the start: no continue token, not a watch (what a client does first and after a 410).</summary>
    public bool IsFullList => !Watch && string.IsNullOrEmpty(Continue);

    /// <summary>The watch was told its resource version is gone (HTTP 410 or a 410 ERROR event): the client must list again.</summary>
    public bool WasGone => Fault is WatchFault.GoneStatus or WatchFault.ExpiredEvent;
}
