using System.Text.Json;

namespace EndToEnd.Tests.Pipeline;

/// <summary>Sums a metric over the CloudWatch Embedded Metric Format records a function wrote.</summary>
public static class EmfTotals
{
    /// <summary>The sum of <paramref name="metric"/> over every EMF line.</summary>
    public static long Sum(IEnumerable<string> lines, string metric)
    {
        ArgumentNullException.ThrowIfNull(lines);
        long total = 0;
        foreach (var line in lines)
        {
            if (!line.Contains("\"_aws\"", StringComparison.Ordinal))
            {
                continue;
            }

            using var record = JsonDocument.Parse(line);
            if (record.RootElement.TryGetProperty(metric, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                total += value.GetInt64();
            }
        }

        return total;
    }
}
