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
}
