using System.Buffers;
using System.Text.Json;
using Shared.Logging;

namespace Functions.Runtime.Metrics;

/// <summary>
/// One CloudWatch Embedded Metric Format record: a JSON log line that CloudWatch turns into metrics,
/// with no API call and no extra latency. Namespace <see cref="Namespace"/>; dimension <c>FunctionName</c>
/// and optionally more, or (<see cref="ForDimensions"/>) only the ones given.
/// </summary>
public sealed class EmfMetrics
{
    /// <summary>The CloudWatch namespace of every metric the functions emit.</summary>
    public const string Namespace = "EksHistory";

    /// <summary>The dimension every metric carries.</summary>
    public const string FunctionNameDimension = "FunctionName";

    private readonly TimeProvider _time;
    private readonly List<(string Name, double Value, string Unit)> _metrics = [];
    private readonly List<(string Name, string Value)> _properties = [];
    private readonly List<(string Name, string Value)> _dimensions = [];

    /// <summary>A record of one function's metrics (dimension <c>FunctionName</c>).</summary>
    public EmfMetrics(string functionName, TimeProvider time)
        : this(time)
    {
        _dimensions.Add((FunctionNameDimension, functionName));
    }

    private EmfMetrics(TimeProvider time) => _time = time;

    /// <summary>
    /// A record whose metrics carry exactly these dimensions, not the function's name: metrics that describe
    /// the cluster rather than the function (each distinct set of values is one CloudWatch metric).
    /// </summary>
    public static EmfMetrics ForDimensions(TimeProvider time, params ReadOnlySpan<(string Name, string Value)> dimensions)
    {
        var metrics = new EmfMetrics(time);
        metrics._dimensions.AddRange(dimensions);
        return metrics;
    }

    /// <summary>Adds a count.</summary>
    public EmfMetrics Count(string name, double value) => Add(name, value, "Count");

    /// <summary>Adds a duration in milliseconds.</summary>
    public EmfMetrics Milliseconds(string name, double value) => Add(name, value, "Milliseconds");

    /// <summary>Adds a metric in a CloudWatch unit named by <paramref name="unit"/> (<c>Bytes</c>, <c>Percent</c>, ...), for units beside counts and milliseconds.</summary>
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

    /// <summary>Adds a dimension, e.g. the log type, making a separate metric per value.</summary>
    public EmfMetrics Dimension(string name, string value)
    {
        _dimensions.Add((name, value));
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
        json.WriteNumber("Timestamp", _time.GetUtcNow().ToUnixTimeMilliseconds());
        json.WriteStartArray("CloudWatchMetrics");
        json.WriteStartObject();
        json.WriteString("Namespace", Namespace);
        json.WriteStartArray("Dimensions");
        json.WriteStartArray();
        foreach (var (name, _) in _dimensions)
        {
            json.WriteStringValue(name);
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
        foreach (var (name, value) in _dimensions)
        {
            json.WriteString(name, value);
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
