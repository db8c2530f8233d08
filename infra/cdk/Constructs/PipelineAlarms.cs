using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// The alarms that tell an operator the history has a gap or is about to get one, all sent to one SNS
/// topic (with an optional e-mail subscription). Each alarm answers a question a user would ask:
/// is anything parked in a DLQ, is the queue falling behind, are the functions failing or throttled, did
/// OpenSearch reject documents, and has the collector gone quiet.
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

        // SQS stops publishing metrics of an idle queue, so missing data counts as "nothing sent".
        Add("CollectorSilent", props.Queue.Queue.MetricNumberOfMessagesSent(new MetricOptions
        {
            Statistic = Stats.SUM,
            Period = Duration.Minutes(props.Settings.CollectorSilenceMinutes),
        }), 1, ComparisonOperator.LESS_THAN_THRESHOLD, 1,
            $"No events reached the queue for {props.Settings.CollectorSilenceMinutes} minutes: is the collector running?",
            TreatMissingData.BREACHING);
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
