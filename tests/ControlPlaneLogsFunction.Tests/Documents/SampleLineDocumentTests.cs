using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Parsing;
using ControlPlaneLogsFunction.Tests.Samples;
using YamlDotNet.RepresentationModel;

namespace ControlPlaneLogsFunction.Tests.Documents;

/// <summary>
/// Every line of Samples/control-plane-lines.yaml becomes one document with the fields the file says it
/// must yield, or with <c>parse_error</c> saying why not; the raw line is always kept whole.
/// </summary>
public sealed class SampleLineDocumentTests
{
    public static TheoryData<int> Lines()
    {
        var lines = new TheoryData<int>();
        foreach (var line in SampleLines.All)
        {
            lines.Add(line.Number);
        }

        return lines;
    }

    [Fact]
    public void SampleLines_CoverEveryStreamTypeWithMoreThanSixtyLines()
    {
        var types = SampleLines.All.Select(l => LogStreamClassifier.Classify(l.Stream)).ToHashSet();

        Assert.True(SampleLines.All.Count >= 60, $"{SampleLines.All.Count} lines");
        Assert.Superset(LogStreamClassifier.All.ToHashSet(), types);
        Assert.All(LogStreamClassifier.All, t => Assert.True(SampleLines.All.Count(l => LogStreamClassifier.Classify(l.Stream) == t) >= 2, $"{t} has fewer than two lines"));
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public void Build_SampleLine_YieldsTheFieldsItMust(int number)
    {
        var sample = SampleLines.All[number - 1];

        var (built, json) = DocumentAssert.Build(sample.Stream, sample.Message, sample.Timestamp);

        Assert.Equal(sample.Message, (string?)json["@message"]);
        var failures = new List<string>();
        foreach (var (key, expected) in sample.Fields.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (!json.TryGetPropertyValue(name, out var actual))
            {
                failures.Add($"{name} is missing");
            }
            else if (name == "parse_error")
            {
                if (!((string?)actual)!.StartsWith(((YamlScalarNode)expected).Value!, StringComparison.Ordinal))
                {
                    failures.Add($"parse_error is \"{actual}\"");
                }
            }
            else
            {
                Compare(expected, actual, name, failures);
            }
        }

        var expectsParseError = sample.Fields.Children.ContainsKey(new YamlScalarNode("parse_error"));
        Assert.Equal(expectsParseError, built.ParseError);
        if (!expectsParseError && json["parse_error"] is { } unexpected)
        {
            failures.Add($"parse_error: {unexpected}");
        }

        failures.AddRange(sample.Absent.Where(json.ContainsKey).Select(a => $"{a} should be absent"));
        Assert.True(failures.Count == 0, $"{sample}: {string.Join("; ", failures)}\n{json.ToJsonString()}");
    }

    /// <summary>Objects member by member (those listed), arrays element by element, scalars as text.</summary>
    private static void Compare(YamlNode expected, JsonNode? actual, string path, List<string> failures)
    {
        switch (expected)
        {
            case YamlMappingNode mapping when actual is JsonObject obj:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (obj.TryGetPropertyValue(name, out var member))
                    {
                        Compare(value, member, $"{path}.{name}", failures);
                    }
                    else
                    {
                        failures.Add($"{path}.{name} is missing");
                    }
                }

                break;
            case YamlSequenceNode sequence when actual is JsonArray array:
                if (sequence.Children.Count != array.Count)
                {
                    failures.Add($"{path} has {array.Count} elements, not {sequence.Children.Count}: {array.ToJsonString()}");
                    break;
                }

                for (var i = 0; i < array.Count; i++)
                {
                    Compare(sequence.Children[i], array[i], $"{path}[{i}]", failures);
                }

                break;
            case YamlScalarNode scalar when actual is JsonValue value:
                var text = value.TryGetValue<string>(out var s) ? s : value.ToJsonString();
                if (text != scalar.Value)
                {
                    failures.Add($"{path} is {value.ToJsonString()}, not {scalar.Value}");
                }

                break;
            default:
                failures.Add($"{path} is {actual?.ToJsonString() ?? "null"}, which is not what the sample lists");
                break;
        }
    }
}
