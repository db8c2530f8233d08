using System.Text.Json;
using ControlPlaneLogsFunction.Tests.Samples;

namespace ControlPlaneLogsFunction.Tests.Documents;

/// <summary>Lines shaped oddly by what wrote them: whitespace or a CR around a klog line, an audit event over several lines, JSON that is not an event.</summary>
public sealed class LineShapeTests
{
    [Theory]
    [InlineData("  {0}")]
    [InlineData("\t{0}")]
    [InlineData("{0}\r")]
    [InlineData("{0}  \r\n")]
    [InlineData(" \t{0}\r\n")]
    public void Build_KlogLineWithWhitespaceOrACrAroundIt_IsParsedAndKeptRawInMessage(string shape)
    {
        var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, ControlPlaneLines.SchedulerStructured);

        var (built, json) = DocumentAssert.Build(ControlPlaneLines.SchedulerStream, line, TestSupport.CloudWatchLogs.SubscriptionEvents.Millis(2024, 7, 17, 6, 59, 0));

        Assert.False(built.ParseError, (string?)json["parse_error"]);
        Assert.Equal("schedule_one.go:286", (string?)json["source"]);
        Assert.Equal("Successfully bound pod to node", (string?)json["msg"]);
        Assert.Equal("feasibleNodes=2", (string?)json["kv"]![3]); // the last value without the CR
        Assert.Equal(line, (string?)json["@message"]);
    }

    [Fact]
    public void Build_FreeTextKlogLineEndingInCrLf_MsgEndsWithTheText()
    {
        var (_, json) = DocumentAssert.Build(ControlPlaneLines.CloudControllerManagerStream, ControlPlaneLines.CloudControllerWarning + "\r\n");

        Assert.Equal("Failed to get instance metadata for node ip-10-0-1-2: throttled", (string?)json["msg"]);
    }

    [Theory]
    [InlineData("\n", "  ")]
    [InlineData("\r\n", "\t")]
    public void Build_AuditEventWrittenOverSeveralLines_HasItsFieldsInAOneLineDocument(string newLine, string indent)
    {
        var pretty = JsonSerializer.Serialize(JsonDocument.Parse(ControlPlaneLines.AuditCreatePod).RootElement, new JsonSerializerOptions { WriteIndented = true, NewLine = newLine, IndentCharacter = indent[0], IndentSize = indent.Length });

        // DocumentAssert.Parse fails on a line break in the document.
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, pretty);
        var (_, compact) = DocumentAssert.Build(ControlPlaneLines.AuditStream, ControlPlaneLines.AuditCreatePod);

        Assert.False(built.ParseError, (string?)json["parse_error"]);
        Assert.Equal(pretty, (string?)json["@message"]);
        json.Remove("@message");
        compact.Remove("@message");
        DocumentAssert.Equal(compact.ToJsonString(), json);
    }

    [Theory]
    [InlineData("{}", "not a JSON audit event: a JSON object without \"kind\":\"Event\" or \"auditID\"")]
    [InlineData("{\"kind\":\"EventList\",\"items\":[{\"kind\":\"Event\",\"auditID\":\"x\"}]}", "not a JSON audit event: a JSON object without \"kind\":\"Event\" or \"auditID\"")]
    [InlineData("[{\"kind\":\"Event\",\"auditID\":\"x\"}]", "not a JSON audit event: the line is a JSON array, not an object")]
    [InlineData("\"Event\"", "not a JSON audit event: the line is a JSON string, not an object")]
    [InlineData("null", "not a JSON audit event: the line is JSON null, not an object")]
    public void Build_JsonThatIsNotAnAuditEvent_IsStoredPlainWithParseErrorSayingWhy(string line, string reason)
    {
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, line);

        Assert.True(built.ParseError);
        Assert.Equal(reason, (string?)json["parse_error"]);
        Assert.Equal("kube-apiserver-audit", (string?)json["log_type"]);
        Assert.Equal(line, (string?)json["@message"]);
        Assert.Equal(9, json.Count); // the always-present fields and parse_error, nothing from the line
    }

    [Fact]
    public void Build_AuditEventWithOnlyAnAuditId_IsAnAuditEvent()
    {
        var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, "{\"auditID\":\"5d0c1c5e-0000-4000-8000-000000000001\",\"stage\":\"ResponseComplete\",\"verb\":\"get\"}");

        Assert.False(built.ParseError);
        Assert.Equal("get", (string?)json["verb"]);
    }
}
