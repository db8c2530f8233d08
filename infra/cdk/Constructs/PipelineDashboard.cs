using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// One CloudWatch dashboard that follows an event through the pipeline, left to right: what the collector
/// sent, how deep and old the queue is, what the functions did with it, what OpenSearch accepted, and
/// what ended in a dead-letter queue; then what the cluster's Warning events say.
/// </summary>
public sealed class PipelineDashboard : Construct
{
    /// <summary>Creates the dashboard.</summary>
    public PipelineDashboard(Construct scope, string id, PipelineDashboardProps props)
        : base(scope, id)
    {
        var queue = props.Queue.Queue;
        var indexer = props.Indexer.Function.Function;
        var controlPlane = props.ControlPlaneLogs.Function.Function;
        var fiveMinutes = Duration.Minutes(5);
        var sum = new MetricOptions { Statistic = Stats.SUM, Period = fiveMinutes };
        var max = new MetricOptions { Statistic = Stats.MAXIMUM, Period = fiveMinutes };

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps { DashboardName = props.Name });
        Dashboard.AddWidgets(
            Graph("Events in", [
                queue.MetricNumberOfMessagesSent(sum),
                PipelineMetrics.Count(indexer, "EventsReceived"),
                PipelineMetrics.Count(controlPlane, "LogLines"),
            ]),
            Graph("Queue depth", [queue.MetricApproximateNumberOfMessagesVisible(max), queue.MetricApproximateNumberOfMessagesNotVisible(max)]),
            Graph("Oldest queued message (s)", [queue.MetricApproximateAgeOfOldestMessage(max)]));
        Dashboard.AddWidgets(
            Graph("Invocations", [indexer.MetricInvocations(sum), controlPlane.MetricInvocations(sum)]),
            Graph("Duration (p99, ms)", [
                indexer.MetricDuration(new MetricOptions { Statistic = "p99", Period = fiveMinutes }),
                controlPlane.MetricDuration(new MetricOptions { Statistic = "p99", Period = fiveMinutes }),
            ]),
            Graph("Errors and throttles", [indexer.MetricErrors(sum), indexer.MetricThrottles(sum), controlPlane.MetricErrors(sum), controlPlane.MetricThrottles(sum)]));
        Dashboard.AddWidgets(
            Graph("Documents indexed", [PipelineMetrics.Count(indexer, "DocumentsIndexed"), PipelineMetrics.Count(controlPlane, "DocumentsIndexed")]),
            Graph("Documents failed and retries", [
                PipelineMetrics.Count(indexer, "DocumentsFailed"),
                PipelineMetrics.Count(controlPlane, "DocumentsFailed"),
                PipelineMetrics.Count(indexer, "Retries"),
                PipelineMetrics.Count(controlPlane, "Retries"),
                PipelineMetrics.Count(controlPlane, "ParseErrors"),
            ]),
            Graph("Dead-letter queues", [
                props.Queue.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(max),
                props.ControlPlaneLogs.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(max),
            ]));
        // What an outage of the domain looks like: work held by re-queuing (docs/reliability.md) rather than
        // dead-lettered, and control-plane deliveries waiting in the failure queue for the domain to return.
        var failureQueue = props.ControlPlaneLogs.FailureQueue;
        Dashboard.AddWidgets(
            Graph("Held through outages (re-queued)", [
                PipelineMetrics.Count(indexer, "MessagesRequeued"),
                PipelineMetrics.Count(controlPlane, "MessagesRequeued"),
                PipelineMetrics.Count(indexer, "MessagesPastHoldWindow"),
                PipelineMetrics.Count(controlPlane, "MessagesPastHoldWindow"),
            ]),
            Graph("Control-plane failure queue", [
                failureQueue.MetricApproximateNumberOfMessagesVisible(max),
                failureQueue.MetricApproximateNumberOfMessagesNotVisible(max),
                new Metric(new MetricProps
                {
                    Namespace = "AWS/SQS",
                    MetricName = "ApproximateNumberOfMessagesDelayed",
                    DimensionsMap = new Dictionary<string, string> { ["QueueName"] = failureQueue.QueueName },
                    Statistic = Stats.MAXIMUM,
                    Period = fiveMinutes,
                }),
            ]),
            Graph("Events queue: held copies waiting", [
                new Metric(new MetricProps
                {
                    Namespace = "AWS/SQS",
                    MetricName = "ApproximateNumberOfMessagesDelayed",
                    DimensionsMap = new Dictionary<string, string> { ["QueueName"] = queue.QueueName },
                    Statistic = Stats.MAXIMUM,
                    Period = fiveMinutes,
                }),
            ]));

        // What the cluster itself says is wrong: the indexer's WarningEvents, one line per reason.
        Dashboard.AddWidgets(new GraphWidget(new GraphWidgetProps
        {
            Title = "Warning events by reason",
            Left = [PipelineMetrics.WarningEventsByReason(props.ClusterName)],
            Width = 24,
            Height = 6,
            Stacked = true,
        }));
    }

    /// <summary>The dashboard.</summary>
    public Dashboard Dashboard { get; }

    private static GraphWidget Graph(string title, IMetric[] metrics) => new(new GraphWidgetProps
    {
        Title = title,
        Left = metrics,
        Width = 8,
        Height = 6,
    });
}
