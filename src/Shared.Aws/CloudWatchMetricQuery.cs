namespace Shared.Aws;

/// <summary>One metric asked of <see cref="CloudWatchMetricData"/>: namespace, name, dimensions, statistic and period.</summary>
/// <param name="Namespace">E.g. <c>AWS/SQS</c>.</param>
/// <param name="MetricName">E.g. <c>NumberOfMessagesSent</c>.</param>
/// <param name="Dimensions">Name to value, e.g. <c>QueueName</c>.</param>
/// <param name="Statistic">E.g. <c>Sum</c> or <c>Maximum</c>.</param>
/// <param name="PeriodSeconds">The period of each data point (a multiple of 60).</param>
public sealed record CloudWatchMetricQuery(string Namespace, string MetricName, IReadOnlyDictionary<string, string> Dimensions, string Statistic, int PeriodSeconds);
