using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Tests.Documents;
using ControlPlaneLogsFunction.Tests.Samples;

namespace Conformance.Tests.EksControlPlane;

/// <summary>The control-plane documents built from real EKS audit and authenticator lines.</summary>
public sealed class ControlPlaneDocumentBuilderTests
{
    private const string Id = "37591012345678901234567890123456789012345678901234567890";

    [Fact]
    public void Build_PantherAuditEvents_EveryEventParsesWithItsFieldsAtTheTop()
    {
        foreach (var line in PantherAuditEvents.Lines())
        {
            var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, line);
            var audit = JsonNode.Parse(line)!.AsObject();

            Assert.False(built.ParseError, line);
            foreach (var (name, value) in audit)
            {
                Assert.True(JsonNode.DeepEquals(value, json[name]), $"{name} differs in {line}");
            }
        }
    }

    [Fact]
    public void Build_AuthenticatorFixtureLines_OneFieldPerPair()
    {
        var lines = AuthenticatorSampleLines.All();
        Assert.Equal(3, lines.Count);

        var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuthenticatorStream, lines[0]);

        Assert.False(built.ParseError);
        DocumentAssert.Equal(
            $$"""
            {
            "@id": "{{Id}}", "@timestamp": "2024-03-01T10:15:30.140Z", "@message": {{JsonValue.Create(lines[0]).ToJsonString()}},
            "@owner": "123456789012", "@log_group": "/aws/eks/history-test/cluster", "@log_stream": "{{ControlPlaneLines.AuthenticatorStream}}",
            "clusterName": "history-test", "log_type": "authenticator",
            "time": "2025-12-24T19:48:32Z", "level": "info", "msg": "access granted",
            "arn": "arn:aws:iam::927209226484:role/AWSWesleyClusterManagerLambda-Add-AddonManagerRole-1CRTQUJF13T5U",
            "client": "127.0.0.1:54812", "groups": "[]", "method": "POST", "path": "/authenticate",
            "stsendpoint": "sts.us-east-1.amazonaws.com", "uid": "aws-iam-authenticator:927209226484:AROA5PYP2AD2FVXU23CA6",
            "username": "eks:addon-manager"
            }
            """,
            json);
        foreach (var line in lines.Skip(1))
        {
            var (other, otherJson) = DocumentAssert.Build(ControlPlaneLines.AuthenticatorStream, line);
            Assert.False(other.ParseError, line);
            Assert.NotNull(otherJson["arn"]);
        }
    }
}
