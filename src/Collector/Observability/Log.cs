using Microsoft.Extensions.Logging;

namespace Collector.Observability;

/// <summary>Every log record the collector writes, with stable EventIds (alerts and queries key on them).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Collector started: cluster {ClusterName}, namespaces {Namespaces}, dry run {DryRun}, leader election {LeaderElection}")]
    public static partial void Started(ILogger logger, string clusterName, string namespaces, bool dryRun, bool leaderElection);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Listed {Count} events in {Namespace} over {Pages} pages at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, int count, string @namespace, int pages, string resourceVersion);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "Watching events in {Namespace} from resourceVersion {ResourceVersion}")]
    public static partial void Watching(ILogger logger, string @namespace, string resourceVersion);

    [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "The API server closed the watch of {Namespace} at resourceVersion {ResourceVersion}; resuming")]
    public static partial void WatchClosed(ILogger logger, string @namespace, string resourceVersion);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "The watch of {Namespace} failed; retrying from resourceVersion {ResourceVersion} in {Delay}")]
    public static partial void WatchFailed(ILogger logger, Exception exception, string @namespace, string resourceVersion, TimeSpan delay);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "The watch of {Namespace} sent nothing for {IdleTimeout}; restarting it from resourceVersion {ResourceVersion}")]
    public static partial void WatchIdle(ILogger logger, string @namespace, TimeSpan idleTimeout, string resourceVersion);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "resourceVersion {ResourceVersion} of {Namespace} has expired ({Reason}: {StatusMessage}); listing again")]
    public static partial void WatchExpired(ILogger logger, string @namespace, string resourceVersion, string reason, string statusMessage);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "The watch of {Namespace} sent a line that is not a watch event: {Preview}; restarting it from resourceVersion {ResourceVersion}")]
    public static partial void UnreadableWatchLine(ILogger logger, Exception exception, string @namespace, string preview, string resourceVersion);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "The watch of {Namespace} reported error {Code} {Reason}: {StatusMessage}; restarting it")]
    public static partial void WatchError(ILogger logger, string @namespace, int code, string reason, string statusMessage);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "{Failed} of {Total} messages were not accepted (first: {Code} {Reason}); retrying them in {Delay}")]
    public static partial void SendPartlyFailed(ILogger logger, int failed, int total, string code, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Sending {Total} messages failed ({Code}); retrying in {Delay}")]
    public static partial void SendFailed(ILogger logger, Exception exception, int total, string code, TimeSpan delay);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Stopping: flushing {Events} buffered events")]
    public static partial void Flushing(ILogger logger, int events);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Stopped: every buffered event was sent")]
    public static partial void Flushed(ILogger logger);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "Shutdown deadline reached with {Messages} messages ({Events} events) unsent; they will be listed again by the next collector")]
    public static partial void FlushAbandoned(ILogger logger, int messages, int events);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "An event of {Bytes} bytes was too large for one message and was truncated")]
    public static partial void Truncated(ILogger logger, int bytes);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "{Identity} is now the leader; shipping events")]
    public static partial void LeadershipAcquired(ILogger logger, string identity);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Identity} lost the leadership; stopping so that the pod restarts as a candidate")]
    public static partial void LeadershipLost(ILogger logger, string identity);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "The leader is {Leader}; this replica waits as a standby")]
    public static partial void NewLeader(ILogger logger, string leader);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Leader election error")]
    public static partial void LeaderElectionError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 90, Level = LogLevel.Critical, Message = "The collector failed and stops, so that Kubernetes restarts it")]
    public static partial void Failed(ILogger logger, Exception exception);
}
