using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// The alarm the outage promise needs beyond the pipeline's own (the dead-letter queues, errors, failed
/// documents): a delivery Lambda could not hand to the control-plane failure queue is the one way a batch of
/// log lines can still be lost, so it must never go unnoticed.
/// </summary>
public sealed class OutageAlarms : Construct
{
    /// <summary>Creates the alarm.</summary>
    public OutageAlarms(Construct scope, string id, OutageAlarmsProps props)
        : base(scope, id)
    {
        // Lambda counts DestinationDeliveryFailures when it cannot write an invocation record to the on-failure
        // destination: a record above SQS's 1 MiB (a delivery near the asynchronous payload limit plus the error),
        // a missing permission, a deleted queue. The delivery is then gone from Lambda; its lines are still in
        // CloudWatch Logs and can be sent again from there.
        var metric = new Metric(new MetricProps
        {
            Namespace = "AWS/Lambda",
            MetricName = "DestinationDeliveryFailures",
            DimensionsMap = new Dictionary<string, string> { ["FunctionName"] = props.ControlPlaneLogs.Function.Function.FunctionName },
            Statistic = Stats.SUM,
            Period = Duration.Minutes(5),
        });
        var alarm = new Alarm(this, "ControlPlaneDestinationDeliveryFailures", new AlarmProps
        {
            Metric = metric,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = "Lambda could not write a failed control-plane delivery to the failure queue (too large for SQS, or no permission): that batch of lines is not in OpenSearch; send it again from CloudWatch Logs.",
        });
        var action = new SnsAction(props.Topic);
        alarm.AddAlarmAction(action);
        alarm.AddOkAction(action);
    }
}
