using System.Buffers;
using System.Text.Json;
using Functions.Core.Logging;

namespace Functions.Core.Metrics;

/// <summary>
/// One CloudWatch Embedded Metric Format record: a JSON log line that CloudWatch turns into metrics,
/// with no API call and no extra latency. Namespace <see cref="Namespace"/>, one dimension
/// <c>FunctionName</c>, optionally one more.
/// </summary>
public sealed class EmfMetrics(string functionName, TimeProvider time)
{
    /// <summary>The CloudWatch namespace of every metric the functions emit.</summary>
    public const string Namespace = "EksHistory";

    /// <summary>The dimension every metric carries.</summary>
    public const string FunctionNameDimension = "FunctionName";

    private readonly List<(string Name, double Value, string Unit)> _metrics = [];
    private readonly List<(string Name, string Value)> _properties = [];
    private (string Name, string Value)? _extraDimension;

    /// <summary>Adds a count.</summary>
    public EmfMetrics Count(string name, double value) => Add(name, value, "Count");

    /// <summary>Adds a duration in milliseconds.</summary>
    public EmfMetrics Milliseconds(string name, double value) => Add(name, value, "Milliseconds");

    /// <summary>Adds a metric.</summary>
    public EmfMetrics Add(string name, double value, string unit)
    {
        _metrics.Add((name, value, unit));
        return this;
    }

    /// <summary>Adds a property that is logged with the record but is not a metric (e.g. the request id).</summary>
    public EmfMetrics Property(string name, string value)
    {
        _properties.Add((name, value));
        return this;
    }

    /// <summary>Adds a second dimension, e.g. the log type, making a separate record per value.</summary>
    public EmfMetrics Dimension(string name, string value)
    {
        _extraDimension = (name, value);
        return this;
    }

    /// <summary>Writes the record as one line.</summary>
    public void WriteTo(LineWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new ArrayBufferWriter<byte>(512);
        WriteTo(buffer);
        output.WriteLine(buffer);
    }

    /// <summary>Writes the record's JSON.</summary>
    public void WriteTo(IBufferWriter<byte> buffer)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteStartObject("_aws");
        json.WriteNumber("Timestamp", time.GetUtcNow().ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", Namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        json.WriteStringValue(FunctionNameDimension);
        if (_extraDimension is { } extra)
        {
            json.WriteStringValue(extra.Name);
        }

        json.WriteEndArray();
        json.WriteEndArray();
        json.WriteStartArray("Metrics");
        foreach (var (name, _, unit) in _metrics)
        {
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteString(FunctionNameDimension, functionName);
        if (_extraDimension is { } dimension)
        {
            json.WriteString(dimension.Name, dimension.Value);
        }

        foreach (var (name, value) in _properties)
        {
            json.WriteString(name, value);
        }

        foreach (var (name, value, _) in _metrics)
        {
            json.WriteNumber(name, value);
        }

        json.WriteEndObject();
    }
}
