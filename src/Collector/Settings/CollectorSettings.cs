using Shared.Aws;
using Shared.Contract.Queue;

namespace Collector.Settings;

/// <summary>
/// Everything the Collector reads from its environment, typed and validated once at start
/// (<see cref="CollectorSettingsReader"/>). Defaults live here so that tests and docs/collector.md agree.
/// </summary>
public sealed record CollectorSettings
{
    /// <summary>The SQS queue to send to; null only with <see cref="DryRun"/>.</summary>
    public Uri? QueueUrl { get; init; }

    /// <summary>Print envelopes on stdout instead of sending them.</summary>
    public bool DryRun { get; init; }

    public string ClusterName { get; init; } = "";

    public int MaxMessageBytes { get; init; } = QueueContract.DefaultMaxMessageBytes;

    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Namespaces to watch; empty means all (one cluster-wide watch).</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public IReadOnlyList<string> ExcludeNamespaces { get; init; } = [];

    public IReadOnlyList<string> IncludeTypes { get; init; } = [];

    public IReadOnlyList<string> ExcludeTypes { get; init; } = [];

    public IReadOnlyList<string> IncludeReasons { get; init; } = [];

    public IReadOnlyList<string> ExcludeReasons { get; init; } = [];

    public IReadOnlyList<string> IncludeKinds { get; init; } = [];

    public IReadOnlyList<string> ExcludeKinds { get; init; } = [];

    public bool LeaderElection { get; init; }

    public string LeaseName { get; init; } = "eks-history-collector";

    /// <summary>Defaults are client-go's (15 s / 10 s / 2 s).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan LeaseRenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaseRetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Namespace of the Lease; required with leader election (the downward API fills it).</summary>
    public string PodNamespace { get; init; } = "";

    /// <summary>This replica's identity in the Lease; required with leader election.</summary>
    public string PodName { get; init; } = "";

    /// <summary>Port of /healthz, /readyz and /metrics. 0 picks a free port (tests).</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>
    /// Events held between the watch and the sender. This is the memory bound when SQS is slow or down:
    /// once it is full the watch stops reading instead of dropping.
    /// </summary>
    public int BufferCapacity { get; init; } = 10_000;

    /// <summary>The <c>limit</c> of each list page.</summary>
    public int ListPageSize { get; init; } = 500;

    /// <summary>A watch that delivers nothing (not even a bookmark) for this long is restarted.</summary>
    public TimeSpan WatchIdleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The first step of the watch's and the sender's retry delays, doubling up to their maximum.</summary>
    public static readonly TimeSpan BackoffInitial = TimeSpan.FromMilliseconds(200);

    public TimeSpan WatchBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SendBackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The delay before re-listing or re-watching after a failure.</summary>
    public Backoff WatchBackoff => new(BackoffInitial, WatchBackoffMax);

    /// <summary>The delay before re-sending a batch SQS did not take.</summary>
    public Backoff SendBackoff => new(BackoffInitial, SendBackoffMax);

    /// <summary>/healthz fails when a watch, or a sender with messages to send, made no progress for this long.</summary>
    public TimeSpan HealthStallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A healthy leader that has sent nothing for this long sends an envelope without events, so that the
    /// queue's NumberOfMessagesSent is never zero while a collector runs and "nothing sent" means "no collector,
    /// or a stuck one" (the CollectorSilent alarm). Zero turns it off.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many (uid → resourceVersion) pairs are remembered to skip re-sending after a relist.</summary>
    public int DedupCapacity { get; init; } = 50_000;

    /// <summary>How long SIGTERM may take to flush; keep it below the pod's terminationGracePeriodSeconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(25);
}
