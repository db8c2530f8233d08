namespace TestSupport.Kubernetes;

/// <summary>A watch or list request the double received, for assertions on how the client resumed.</summary>
public sealed record WatchRequest(bool Watch, string? Namespace, string ResourceVersion, bool AllowWatchBookmarks, string? Continue, int Limit);
