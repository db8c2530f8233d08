namespace Collector.Kubernetes;

/// <summary>The two calls the collector makes on core/v1 Events: a list page and a watch stream.</summary>
public interface IEventApi
{
    /// <summary>One page of events in <paramref name="namespace"/> (null: all namespaces).</summary>
    Task<EventListPage> ListAsync(string? @namespace, int limit, string? continueToken, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a watch from <paramref name="resourceVersion"/> with bookmarks; the server ends it after
    /// <paramref name="timeout"/>. The caller disposes the stream.
    /// </summary>
    Task<Stream> WatchAsync(string? @namespace, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken);
}
