namespace Collector.Observability;

/// <summary>
/// The Prometheus metrics of one collector, on its own registry (so that several collectors in one test
/// process do not share counters). Served at /metrics.
/// </summary>
public sealed class CollectorMetrics
{
    public CollectorMetrics()
    {
        EventsObserved = Registry.CreateCounter("collector_events_observed_total", "Watch notifications and listed items received, by watch type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR, LISTED).", "type");
        EventsFiltered = Registry.CreateCounter("collector_events_filtered_total", "Events left out by the include/exclude filters.");
        EventsDuplicate = Registry.CreateCounter("collector_events_duplicate_total", "Events not sent again because this process already sent that resourceVersion.");
        EventsSent = Registry.CreateCounter("collector_events_sent_total", "Events in messages the queue accepted.");
        EventsTruncated = Registry.CreateCounter("collector_events_truncated_total", "Events whose message was shortened to fit one queue message.");
        MessagesSent = Registry.CreateCounter("collector_messages_sent_total", "Queue messages accepted (heartbeats included).");
        HeartbeatsSent = Registry.CreateCounter("collector_heartbeats_sent_total", "Envelopes without events accepted, sent when nothing else was for HEARTBEAT_INTERVAL.");
        SendFailures = Registry.CreateCounter("collector_send_failures_total", "Queue messages not accepted by a send attempt (each is retried).");
        SendRetries = Registry.CreateCounter("collector_send_retries_total", "Send attempts that repeated failed messages.");
        BufferDepth = Registry.CreateGauge("collector_buffer_depth", "Events waiting between the watch and the sender.");
        BufferCapacity = Registry.CreateGauge("collector_buffer_capacity", "The most events the buffer holds before the watch waits.");
        WatchRestarts = Registry.CreateCounter("collector_watch_restarts_total", "Watches started again, by reason (closed, failed, idle, expired).", "reason");
        Relists = Registry.CreateCounter("collector_relists_total", "Full lists after the first, because the watch position expired (410).");
        LastSuccessfulSend = Registry.CreateGauge("collector_last_successful_send_timestamp_seconds", "Unix time of the last accepted send.");
        IsLeader = Registry.CreateGauge("collector_leader", "1 while this replica ships events (always 1 without leader election).");
    }

    public MetricsRegistry Registry { get; } = new();

    public Counter EventsObserved { get; }

    public Counter EventsFiltered { get; }

    public Counter EventsDuplicate { get; }

    public Counter EventsSent { get; }

    public Counter EventsTruncated { get; }

    public Counter MessagesSent { get; }

    public Counter HeartbeatsSent { get; }

    public Counter SendFailures { get; }

    public Counter SendRetries { get; }

    public Gauge BufferDepth { get; }

    public Gauge BufferCapacity { get; }

    public Counter WatchRestarts { get; }

    public Counter Relists { get; }

    public Gauge LastSuccessfulSend { get; }

    public Gauge IsLeader { get; }
}
