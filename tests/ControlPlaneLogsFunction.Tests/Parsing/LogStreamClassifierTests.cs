using ControlPlaneLogsFunction.Parsing;

namespace ControlPlaneLogsFunction.Tests.Parsing;

public class LogStreamClassifierTests
{
    public static TheoryData<string, string> FixtureStreams()
    {
        // The stream names of the AWS documentation and a real account (../shared/fixtures/eks).
        var data = new TheoryData<string, string>();
        var lines = File.ReadAllLines(Path.Combine(TestSupport.RepositoryRoot.Fixtures, "eks", "control-plane-klog-and-streams.txt"));
        foreach (var line in lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^[a-z-]+-[0-9a-f]{32}$")))
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

    [Theory]
    [InlineData("kube-apiserver-audit-1234567890abcdef01234567890abcde", LogType.KubeApiServerAudit)]
    [InlineData("kube-apiserver-1234567890abcdef01234567890abcde", LogType.KubeApiServer)]
    [InlineData("kube-controller-manager-1234567890abcdef01234567890abcde", LogType.KubeControllerManager)]
    [InlineData("kube-apiserverx-1", LogType.Unknown)]
    [InlineData("my-app-stream", LogType.Unknown)]
    [InlineData("", LogType.Unknown)]
    [InlineData(null, LogType.Unknown)]
    public void Classify_Names_LongestPrefixWins(string? stream, LogType expected)
    {
        Assert.Equal(expected, LogStreamClassifier.Classify(stream));
    }
}
