using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Lambda;

namespace Infra.Constructs;

/// <summary>
/// The functions' own metrics: CloudWatch Embedded Metric Format records they log in the namespace
/// <c>EksHistory</c> with the single dimension <c>FunctionName</c>.
/// </summary>
public static class PipelineMetrics
{
    /// <summary>The EMF namespace both functions write.</summary>
    public const string Namespace = "EksHistory";

    /// <summary>A summed count metric of one function.</summary>
    public static Metric Count(IFunction function, string name, Duration? period = null) => new(new MetricProps
    {
        Namespace = Namespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { ["FunctionName"] = function.FunctionName },
        Statistic = Stats.SUM,
        Period = period ?? Duration.Minutes(5),
    });

    /// <summary>
    /// The indexer's count of Warning events of one cluster and reason (dimensions ClusterName and Reason, not
    /// the function: it describes the cluster), summed over 5 minutes.
    /// </summary>
    public static Metric WarningEvents(string clusterName, string reason) => new(new MetricProps
    {
        Namespace = Namespace,
        MetricName = Shared.Contract.WarningMetric.MetricName,
        DimensionsMap = new Dictionary<string, string>
        {
            [Shared.Contract.WarningMetric.ClusterDimension] = clusterName,
            [Shared.Contract.WarningMetric.ReasonDimension] = reason,
        },
        Statistic = Stats.SUM,
        Period = Duration.Minutes(5),
    });

    /// <summary>
    /// Every reason's WarningEvents of one cluster, one line each, found by a CloudWatch search expression, so
    /// the graph shows the reasons that occurred without naming them in the stack.
    /// </summary>
    public static MathExpression WarningEventsByReason(string clusterName) => new(new MathExpressionProps
    {
        Expression = $"SEARCH('{{{Namespace},{Shared.Contract.WarningMetric.ClusterDimension},{Shared.Contract.WarningMetric.ReasonDimension}}} MetricName=\"{Shared.Contract.WarningMetric.MetricName}\" {Shared.Contract.WarningMetric.ClusterDimension}=\"{clusterName}\"', 'Sum', 300)",
        UsingMetrics = new Dictionary<string, IMetric>(),
        Label = string.Empty,
        Period = Duration.Minutes(5),
    });
}
