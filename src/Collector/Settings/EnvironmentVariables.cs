using Shared.Contract.Settings;

namespace Collector.Settings;

/// <summary>
/// Every environment variable the Collector reads, in one place (docs/collector.md lists them with defaults). The
/// names the functions share are taken from <see cref="EnvironmentVariableNames"/>, so each is spelled once.
/// </summary>
public static class EnvironmentVariables
{
    public const string QueueUrl = "QUEUE_URL";
    public const string ClusterName = EnvironmentVariableNames.ClusterName;
    public const string MaxMessageBytes = "MAX_MESSAGE_BYTES";
    public const string FlushInterval = "FLUSH_INTERVAL";
    public const string Namespaces = "NAMESPACES";
    public const string ExcludeNamespaces = "EXCLUDE_NAMESPACES";
    public const string IncludeTypes = "INCLUDE_TYPES";
    public const string ExcludeTypes = "EXCLUDE_TYPES";
    public const string IncludeReasons = "INCLUDE_REASONS";
    public const string ExcludeReasons = "EXCLUDE_REASONS";
    public const string IncludeKinds = "INCLUDE_KINDS";
    public const string ExcludeKinds = "EXCLUDE_KINDS";
    public const string LeaderElection = "LEADER_ELECTION";
    public const string LeaseName = "LEASE_NAME";
    public const string LeaseDuration = "LEASE_DURATION";
    public const string LeaseRenewDeadline = "LEASE_RENEW_DEADLINE";
    public const string LeaseRetryPeriod = "LEASE_RETRY_PERIOD";
    public const string PodNamespace = "POD_NAMESPACE";
    public const string PodName = "POD_NAME";
    public const string HttpPort = "HTTP_PORT";
    public const string BufferCapacity = "BUFFER_CAPACITY";
    public const string ListPageSize = "LIST_PAGE_SIZE";
    public const string WatchIdleTimeout = "WATCH_IDLE_TIMEOUT";
    public const string WatchBackoffMax = "WATCH_BACKOFF_MAX";
    public const string SendBackoffMax = "SEND_BACKOFF_MAX";
    public const string HealthStallTimeout = "HEALTH_STALL_TIMEOUT";
    public const string HeartbeatInterval = "HEARTBEAT_INTERVAL";
    public const string DedupCapacity = "DEDUP_CAPACITY";
    public const string ShutdownTimeout = "SHUTDOWN_TIMEOUT";

    // The AWS SDKs' standard variables (AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL[_SQS],
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) are read by Shared.Aws's AwsEndpoint for the SQS sink
    // (docs/collector.md, "How it talks to SQS"); this one is named in the sink's own error.
    public const string AwsRegion = EnvironmentVariableNames.Region;
}
