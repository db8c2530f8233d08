using System.Buffers;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// CloudWatch's <c>GetMetricData</c> in the JSON protocol (awsJson1_0): one metric over a time window, its data
/// points' values returned (<c>MetricDataResults[0].Values</c>); no data points means the metric was not published
/// in the window (SQS publishes nothing for a queue nobody uses).
/// </summary>
public sealed class CloudWatchMetricData(AwsJsonClient cloudWatch)
{
    /// <summary>The values of <paramref name="query"/> between <paramref name="start"/> and <paramref name="end"/>.</summary>
    /// <exception cref="AwsServiceException">CloudWatch refused the call.</exception>
    public Task<IReadOnlyList<double>> ValuesAsync(CloudWatchMetricQuery query, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("MetricDataQueries"u8);
            writer.WriteStartObject();
            writer.WriteString("Id"u8, "m0");
            writer.WriteStartObject("MetricStat"u8);
            writer.WriteStartObject("Metric"u8);
            writer.WriteString("Namespace"u8, query.Namespace);
            writer.WriteString("MetricName"u8, query.MetricName);
            writer.WriteStartArray("Dimensions"u8);
            foreach (var (name, value) in query.Dimensions)
            {
                writer.WriteStartObject();
                writer.WriteString("Name"u8, name);
                writer.WriteString("Value"u8, value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteNumber("Period"u8, query.PeriodSeconds);
            writer.WriteString("Stat"u8, query.Statistic);
            writer.WriteEndObject();
            writer.WriteBoolean("ReturnData"u8, true);
            writer.WriteEndObject();
            writer.WriteEndArray();
            // The JSON protocol carries timestamps as seconds since the epoch.
            writer.WriteNumber("StartTime"u8, start.ToUnixTimeSeconds());
            writer.WriteNumber("EndTime"u8, end.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        return cloudWatch.InvokeAsync("GetMetricData", buffer.WrittenMemory, ReadValues, cancellationToken);
    }

    private static IReadOnlyList<double> ReadValues(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var values = new List<double>();
        if (document.RootElement.TryGetProperty("MetricDataResults", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("Values", out var points) && points.ValueKind == JsonValueKind.Array)
                {
                    values.AddRange(points.EnumerateArray().Select(p => p.GetDouble()));
                }
            }
        }

        return values;
    }
}
