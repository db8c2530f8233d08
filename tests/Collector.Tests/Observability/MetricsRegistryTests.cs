using Collector.Observability;

namespace Collector.Tests.Observability;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Export_CountersAndGauges_WritesPrometheusTextWithHelpTypeAndSamples()
    {
        var registry = new MetricsRegistry();
        var sent = registry.CreateCounter("events_sent_total", "Events sent.");
        var depth = registry.CreateGauge("buffer_depth", "Events waiting.");
        sent.Inc();
        sent.Inc(41);
        depth.Set(7.5);

        Assert.Equal(
            "# HELP events_sent_total Events sent.\n# TYPE events_sent_total counter\nevents_sent_total 42\n"
            + "# HELP buffer_depth Events waiting.\n# TYPE buffer_depth gauge\nbuffer_depth 7.5\n",
            registry.Export());
    }

    [Fact]
    public void Export_LabelledCounter_OneSeriesPerLabelValueSortedAndEscaped()
    {
        var registry = new MetricsRegistry();
        var observed = registry.CreateCounter("observed_total", "By type.", "type");
        observed.WithLabels("MODIFIED").Inc(2);
        observed.WithLabels("ADDED").Inc();
        observed.WithLabels("odd \"value\"\\").Inc();

        var lines = registry.Export().Split('\n');

        Assert.Equal(
            ["observed_total{type=\"ADDED\"} 1", "observed_total{type=\"MODIFIED\"} 2", "observed_total{type=\"odd \\\"value\\\"\\\\\"} 1"],
            lines.Where(l => l.StartsWith("observed_total{", StringComparison.Ordinal)));
        Assert.Equal(2, observed.WithLabels("MODIFIED").Value);
    }

    [Fact]
    public void Inc_FromManyThreads_LosesNoIncrement()
    {
        var counter = new MetricsRegistry().CreateCounter("c_total", "c");

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Inc();
            }
        });

        Assert.Equal(80_000, counter.Value);
    }

    [Fact]
    public void Counter_NegativeIncrementOrSameNameTwice_IsRefused()
    {
        var registry = new MetricsRegistry();
        var counter = registry.CreateCounter("c_total", "c");

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
        Assert.Throws<InvalidOperationException>(() => registry.CreateGauge("c_total", "again"));
    }

    [Fact]
    public void Export_LargeAndFractionalValues_AreWrittenInvariantAndRoundTrip()
    {
        var registry = new MetricsRegistry();
        var time = registry.CreateGauge("last_send_seconds", "Unix time.");
        time.Set(1_763_800_000.125);

        var sample = registry.Export().Split('\n').Single(l => l.StartsWith("last_send_seconds ", StringComparison.Ordinal));

        Assert.Equal(1_763_800_000.125, double.Parse(sample["last_send_seconds ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
