namespace TestSupport.Kubernetes;

/// <summary>A failure the Kubernetes API double injects into the next watch request.</summary>
public enum WatchFault
{
    /// <summary>Serve normally.</summary>
    None,

    /// <summary>
    /// Send some events, then reset the connection without the terminating zero-length chunk, the way a
    /// restarted API server or a dropped load-balancer connection looks to the client.
    /// </summary>
    CutAfterBacklog,

    /// <summary>Send the response headers and then nothing, not even bookmarks, until the client gives up.</summary>
    Silent,

    /// <summary>Answer 200 and an ERROR watch event whose Status is 410 Expired (how a watch reports a compacted version).</summary>
    ExpiredEvent,

    /// <summary>Answer HTTP 410 Gone with a Status body.</summary>
    GoneStatus,

    /// <summary>Answer HTTP 500 with a Status body.</summary>
    InternalError,

    /// <summary>
    /// Send the first event of the stream cut off in the middle but with its line ended, as a proxy that
    /// mangles a chunk would, then go on normally: that event arrives only if the client asks again.
    /// </summary>
    UnreadableLine,
}
