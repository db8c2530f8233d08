using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// The alarms that tell an operator the history has a gap or is about to get one, all sent to one SNS
/// topic (with an optional e-mail subscription). Each alarm answers a question a user would ask:
/// is anything parked in a DLQ, is the queue falling behind, are the functions failing or throttled, did
/// OpenSearch reject documents, and has the collector stopped (its heartbeat keeps a quiet cluster from paging).
/// </summary>
public sealed class PipelineAlarms : Construct
{
    private readonly SnsAction _action;

    /// <summary>Creates the topic and the alarms.</summary>
    public PipelineAlarms(Construct scope, string id, PipelineAlarmsProps props)
        : base(scope, id)
    {
        Topic = new Topic(this, "Topic", new TopicProps { DisplayName = "EKS history pipeline alarms" });
        if (props.Settings.AlarmEmail is not null)
        {
            Topic.AddSubscription(new EmailSubscription(props.Settings.AlarmEmail));
        }

        _action = new SnsAction(Topic);

        DeadLetterQueueNotEmpty(props.Queue.DeadLetterQueue, "EventsDeadLetterQueueNotEmpty", "Queue messages the indexer failed five times are parked in the DLQ; fix the cause, then redrive them.");
        DeadLetterQueueNotEmpty(props.ControlPlaneLogs.DeadLetterQueue, "ControlPlaneFailuresNotEmpty", "Control-plane log batches that cannot be indexed (or failed longer than the outage hold window) are parked in the DLQ; fix the cause, then redrive them to the failure queue.");

        Add("OldestMessageAge", props.Queue.Queue.MetricApproximateAgeOfOldestMessage(new MetricOptions
        {
            Statistic = Stats.MAXIMUM,
            Period = Duration.Minutes(1),
        }), props.Settings.MaxMessageAgeSeconds, ComparisonOperator.GREATER_THAN_THRESHOLD, 5,
            "The indexer is falling behind: the oldest queued event has waited longer than the threshold.");

        foreach (var (name, function) in new[]
                 {
                     ("Indexer", props.Indexer.Function.Function),
                     ("ControlPlaneLogs", props.ControlPlaneLogs.Function.Function),
                 })
        {
            Add($"{name}Errors", function.MetricErrors(new MetricOptions { Statistic = Stats.SUM, Period = Duration.Minutes(5) }),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1, $"{name} function invocations failed.");
            Add($"{name}Throttles", function.MetricThrottles(new MetricOptions { Statistic = Stats.SUM, Period = Duration.Minutes(5) }),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1, $"{name} function invocations were throttled.");
            Add($"{name}DocumentsFailed", PipelineMetrics.Count(function, "DocumentsFailed"),
                0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1, $"OpenSearch rejected documents from the {name} function (see its log for the bulk item errors).");
        }

        // A healthy collector leader sends a message at least every HEARTBEAT_INTERVAL (5 min in the shipped
        // manifest): its events, or a heartbeat without events when the cluster is quiet. So nothing sent for
        // the period means no collector running, none leading, or a stuck one (a stuck one sends no heartbeat),
        // never "a quiet cluster". SQS stops publishing metrics of a queue nobody uses, so missing data counts
        // as "nothing sent". The period holds at least three heartbeats (collectorSilenceMinutes >= 15).
        Add("CollectorSilent", props.Queue.Queue.MetricNumberOfMessagesSent(new MetricOptions
        {
            Statistic = Stats.SUM,
            Period = Duration.Minutes(props.Settings.CollectorSilenceMinutes),
        }), 1, ComparisonOperator.LESS_THAN_THRESHOLD, 1,
            $"No message reached the queue for {props.Settings.CollectorSilenceMinutes} minutes. A running collector leader sends events or a heartbeat at least every 5 minutes, even in a quiet cluster: the collector is not running, no replica leads, or it is stuck (see its /healthz and logs).",
            TreatMissingData.BREACHING);

        // Cluster problems, not pipeline ones, for users who watch CloudWatch: only the reasons the operator chose
        // (warningAlarms), none by default. No Warning event of the reason means no data point: not breaching.
        foreach (var (reason, threshold) in props.Settings.WarningAlarms)
        {
            Add($"Warnings{reason}", PipelineMetrics.WarningEvents(props.Settings.ClusterName, reason), threshold, ComparisonOperator.GREATER_THAN_THRESHOLD, 1,
                $"More than {threshold} Kubernetes Warning events with reason {reason} in cluster {props.Settings.ClusterName} within 5 minutes (see the Object history dashboard in OpenSearch for which objects).");
        }
    }

    /// <summary>Where every alarm is sent.</summary>
    public Topic Topic { get; }

    private void DeadLetterQueueNotEmpty(IQueue queue, string id, string description) =>
        Add(id, queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions
        {
            Statistic = Stats.MAXIMUM,
            Period = Duration.Minutes(1),
        }), 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1, description);

    private void Add(
        string id,
        IMetric metric,
        double threshold,
        ComparisonOperator comparison,
        int evaluationPeriods,
        string description,
        TreatMissingData missing = TreatMissingData.NOT_BREACHING)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = comparison,
            EvaluationPeriods = evaluationPeriods,
            AlarmDescription = description,
            TreatMissingData = missing,
        });
        alarm.AddAlarmAction(_action);
        alarm.AddOkAction(_action);
    }
}
