using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Collector.Observability;

/// <summary>
/// The few metric kinds the collector exports, in the Prometheus text format (version 0.0.4): counters,
/// optionally with one label, and gauges. Written here rather than taken from a client library so that the
/// collector stays small and Native-AOT clean; the method names follow prometheus-net's.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly List<Metric> _metrics = [];

    public Counter CreateCounter(string name, string help, string? labelName = null) => Add(new Counter(name, help, labelName));

    public Gauge CreateGauge(string name, string help) => Add(new Gauge(name, help));

    /// <summary>Every metric with its HELP and TYPE lines, in the order they were created.</summary>
    public string Export()
    {
        var text = new StringBuilder(2048);
        foreach (var metric in _metrics)
        {
            text.Append("# HELP ").Append(metric.Name).Append(' ').Append(EscapeHelp(metric.Help)).Append('\n');
            text.Append("# TYPE ").Append(metric.Name).Append(' ').Append(metric.Type).Append('\n');
            metric.WriteSamples(text);
        }

        return text.ToString();
    }

    internal static void WriteSample(StringBuilder text, string name, string? labelName, string? labelValue, double value)
    {
        text.Append(name);
        if (labelName is not null)
        {
            text.Append('{').Append(labelName).Append("=\"").Append(EscapeLabel(labelValue!)).Append("\"}");
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    internal static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private T Add<T>(T metric)
        where T : Metric
    {
        if (_metrics.Exists(m => m.Name == metric.Name))
        {
            throw new InvalidOperationException($"A metric named {metric.Name} is already registered.");
        }

        _metrics.Add(metric);
        return metric;
    }
}

/// <summary>A named metric with its help text.</summary>
public abstract class Metric(string name, string help)
{
    public string Name { get; } = name;

    public string Help { get; } = help;

    internal abstract string Type { get; }

    internal abstract void WriteSamples(StringBuilder text);
}

/// <summary>A value that only goes up. With a label name, values are kept per label value (<see cref="WithLabels"/>).</summary>
public sealed class Counter : Metric
{
    private readonly string? _labelName;
    private readonly ConcurrentDictionary<string, Counter>? _children;
    private double _value;

    internal Counter(string name, string help, string? labelName)
        : base(name, help)
    {
        _labelName = labelName;
        _children = labelName is null ? null : new ConcurrentDictionary<string, Counter>(StringComparer.Ordinal);
    }

    private Counter(string name)
        : base(name, "")
    {
    }

    public double Value => Volatile.Read(ref _value);

    internal override string Type => "counter";

    /// <summary>The series for one label value (created at zero on first use).</summary>
    public Counter WithLabels(string labelValue)
    {
        if (_children is null)
        {
            throw new InvalidOperationException($"{Name} has no label.");
        }

        return _children.GetOrAdd(labelValue, static (_, name) => new Counter(name), Name);
    }

    public void Inc(double increment = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(increment);
        Add(ref _value, increment);
    }

    internal override void WriteSamples(StringBuilder text)
    {
        if (_children is null)
        {
            MetricsRegistry.WriteSample(text, Name, null, null, Value);
            return;
        }

        foreach (var (labelValue, child) in _children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            MetricsRegistry.WriteSample(text, Name, _labelName, labelValue, child.Value);
        }
    }

    internal static void Add(ref double location, double increment)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + increment, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>A value that is set, or moved up and down.</summary>
public sealed class Gauge : Metric
{
    private double _value;

    internal Gauge(string name, string help)
        : base(name, help)
    {
    }

    public double Value => Volatile.Read(ref _value);

    internal override string Type => "gauge";

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Inc(double increment = 1) => Counter.Add(ref _value, increment);

    public void Dec(double decrement = 1) => Counter.Add(ref _value, -decrement);

    internal override void WriteSamples(StringBuilder text) => MetricsRegistry.WriteSample(text, Name, null, null, Value);
}
