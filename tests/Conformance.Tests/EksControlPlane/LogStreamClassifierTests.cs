using System.Text.RegularExpressions;
using ControlPlaneLogsFunction.Parsing;

namespace Conformance.Tests.EksControlPlane;

/// <summary>The log type of the stream names in the AWS documentation and in a real account.</summary>
public sealed class LogStreamClassifierTests
{
    public static TheoryData<string, string> FixtureStreams()
    {
        var data = new TheoryData<string, string>();
        var lines = File.ReadAllLines(PublicSamples.PathOf("eks/control-plane-klog-and-streams.txt"));
        foreach (var line in lines.Where(l => Regex.IsMatch(l, "^[a-z-]+-[0-9a-f]{32}$")))
        {
            data.Add(line, line[..^33]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FixtureStreams))]
    public void Classify_RealStreamNames_NamesTheStreamPrefix(string stream, string expected)
    {
        Assert.Equal(expected, LogStreamClassifier.Name(LogStreamClassifier.Classify(stream)));
    }
}
