namespace Collector.Kubernetes;

/// <summary>Why a watch stream stopped being read without an exception.</summary>
public enum WatchStreamEnd
{
    /// <summary>The server ended the response normally (its timeoutSeconds elapsed): resume from the last version.</summary>
    Closed,

    /// <summary>Nothing arrived for the idle timeout: the connection is presumed dead.</summary>
    Idle,

    /// <summary>The handler asked to stop (an ERROR event).</summary>
    Stopped,

    /// <summary>
    /// A line was not a watch event (cut short, garbled on the way): the event it carried is unknown, so the
    /// watch must be asked again from the last version handled rather than read on.
    /// </summary>
    Unreadable,
}
