using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ControlPlaneLogsFunction.Tests.Samples;

/// <summary>The lines of <c>control-plane-lines.yaml</c> (our own, in the components' formats) with the fields each must yield.</summary>
public static class SampleLines
{
    private static readonly Lazy<IReadOnlyList<SampleLine>> Loaded = new(Load);

    /// <summary>Every line of the file, in order.</summary>
    public static IReadOnlyList<SampleLine> All => Loaded.Value;

    private static List<SampleLine> Load()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Samples", "control-plane-lines.yaml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        var lines = new List<SampleLine>();
        foreach (YamlMappingNode entry in (YamlSequenceNode)yaml.Documents[0].RootNode)
        {
            string? Scalar(string key) => entry.Children.TryGetValue(key, out var node) ? ((YamlScalarNode)node).Value : null;
            var timestamp = Scalar("timestamp") is { } t
                ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds()
                : new DateTimeOffset(2024, 3, 1, 10, 15, 30, 140, TimeSpan.Zero).ToUnixTimeMilliseconds();
            lines.Add(new SampleLine(
                lines.Count + 1,
                Scalar("stream")!,
                Scalar("message")!,
                timestamp,
                entry.Children.TryGetValue("fields", out var fields) ? (YamlMappingNode)fields : new YamlMappingNode(),
                entry.Children.TryGetValue("absent", out var absent) ? ((YamlSequenceNode)absent).Select(n => ((YamlScalarNode)n).Value!).ToList() : []));
        }

        return lines;
    }
}
