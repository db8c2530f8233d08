using ControlPlaneLogsFunction.Parsing;
using ControlPlaneLogsFunction.Tests.Samples;

namespace ControlPlaneLogsFunction.Tests.Parsing;

public class LogStreamClassifierTests
{
    [Theory]
    [InlineData(ControlPlaneLines.AuditStream, "kube-apiserver-audit")]
    [InlineData(ControlPlaneLines.ApiServerStream, "kube-apiserver")]
    [InlineData(ControlPlaneLines.AuthenticatorStream, "authenticator")]
    [InlineData(ControlPlaneLines.ControllerManagerStream, "kube-controller-manager")]
    [InlineData(ControlPlaneLines.CloudControllerManagerStream, "cloud-controller-manager")]
    [InlineData(ControlPlaneLines.SchedulerStream, "kube-scheduler")]
    [InlineData("kube-proxy-934e06efeb2e9416b02fa19f9a2d1774", "unknown")]
    public void Classify_EksStreamNames_NamesTheLogType(string stream, string expected)
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
