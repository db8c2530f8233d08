using ControlPlaneLogsFunction.Parsing;
using ControlPlaneLogsFunction.Tests.Samples;

namespace ControlPlaneLogsFunction.Tests.Parsing;

public class KlogParserTests
{
    [Fact]
    public void TryParse_StructuredSchedulerLine_ReadsEveryHeaderPart()
    {
        Assert.True(KlogParser.TryParse(ControlPlaneLines.SchedulerStructured, out var line));

        Assert.Equal("info", line.Severity);
        Assert.Equal(7, line.Month);
        Assert.Equal(17, line.Day);
        Assert.Equal(new TimeSpan(0, 6, 58, 59) + TimeSpan.FromMicroseconds(741), line.TimeOfDay);
        Assert.Equal(11, line.ThreadId);
        Assert.Equal("schedule_one.go:286", line.Source.ToString());
        Assert.StartsWith("\"Successfully bound pod to node\" pod=", line.Message.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('I', "info")]
    [InlineData('W', "warning")]
    [InlineData('E', "error")]
    [InlineData('F', "fatal")]
    public void TryParse_EachLevelLetter_MapsToSeverity(char level, string severity)
    {
        Assert.True(KlogParser.TryParse(level + "0102 03:04:05.123456       1 main.go:1] hello", out var line));
        Assert.Equal(severity, line.Severity);
    }

    [Fact]
    public void TryParse_MultiLineTrace_KeepsEveryLineInTheMessage()
    {
        Assert.True(KlogParser.TryParse(ControlPlaneLines.ApiServerTrace, out var line));

        Assert.Equal(3, line.Message.ToString().Split('\n').Length);
        Assert.EndsWith("[631.906037ms] [631.906037ms] END", line.Message.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("X0705 16:59:29.403648      10 trace.go:205] bad level")]
    [InlineData("I1305 16:59:29.403648      10 trace.go:205] month 13")]
    [InlineData("I0705 16:59:29.403648      10 trace.go205] no line number")]
    [InlineData("I0705 16:59:29.403648      10 trace.go:205 no bracket")]
    [InlineData("I0705 16:59:29 10 trace.go:205] no microseconds")]
    [InlineData("time=\"2025-12-24T19:48:32Z\" level=info msg=\"access granted\"")]
    public void TryParse_NotKlog_ReturnsFalse(string text)
    {
        Assert.False(KlogParser.TryParse(text, out _));
    }

    [Fact]
    public void ResolveTime_December31LineWithJanuaryTimestamp_KeepsThePreviousYear()
    {
        var eventTime = new DateTime(2025, 1, 1, 0, 0, 2, DateTimeKind.Utc);

        var time = KlogParser.ResolveTime(12, 31, new TimeSpan(23, 59, 59), eventTime);

        Assert.Equal(new DateTime(2024, 12, 31, 23, 59, 59, DateTimeKind.Utc), time);
    }

    [Fact]
    public void ResolveTime_January1LineWithDecemberTimestamp_TakesTheNextYear()
    {
        var eventTime = new DateTime(2024, 12, 31, 23, 59, 59, DateTimeKind.Utc);

        var time = KlogParser.ResolveTime(1, 1, new TimeSpan(0, 0, 1), eventTime);

        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 1, DateTimeKind.Utc), time);
    }

    [Fact]
    public void ResolveTime_SameDay_TakesTheEventYear()
    {
        var time = KlogParser.ResolveTime(7, 5, new TimeSpan(16, 59, 29), new DateTime(2023, 7, 5, 16, 59, 30, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2023, 7, 5, 16, 59, 29, DateTimeKind.Utc), time);
    }

    [Fact]
    public void ResolveTime_February29_PicksTheNearestLeapYear()
    {
        var time = KlogParser.ResolveTime(2, 29, TimeSpan.FromHours(12), new DateTime(2024, 2, 29, 12, 0, 1, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc), time);
    }
}
