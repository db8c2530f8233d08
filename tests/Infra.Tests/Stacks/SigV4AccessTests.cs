using System.Text.Json;
using Infra.Settings;
using Shared.Contract.Settings;

namespace Infra.Tests.Stacks;

public sealed class SigV4AccessTests
{
    private const string DomainArn = "arn:aws:es:us-east-1:123456789012:domain/history";

    [Fact]
    public void Functions_SigV4ToADomain_SignAndMayOnlyCallThatDomainAndReadTheHost()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["openSearchAuth"] = "sigv4",
            ["openSearchResourceArn"] = DomainArn,
        });
        foreach (var id in new[] { "IndexerFunction", "ControlPlaneLogsFunction" })
        {
            var variables = pipeline.Json.GetProperty("Resources").GetProperty(id).GetProperty("Properties").GetProperty("Environment").GetProperty("Variables");
            Assert.Equal("sigv4", variables.GetProperty("OPENSEARCH_AUTH").GetString());
            Assert.Equal("es", variables.GetProperty("OPENSEARCH_SERVICE").GetString());

            var statements = IamPolicyTests.PolicyStatementsOfRoleOf(pipeline, id);
            var ssm = Assert.Single(statements, s => IamPolicyTests.Actions(s).Contains("ssm:GetParameters"));
            // One resource: CDK writes it as a single value, not a list.
            var resource = ssm.GetProperty("Resource");
            Assert.NotEqual(JsonValueKind.Array, resource.ValueKind);
            Assert.Contains(":parameter/eksworkshop/history-test/opensearch/host", resource.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(statements, s => IamPolicyTests.Actions(s).Contains("kms:Decrypt"));
            var es = Assert.Single(statements, s => IamPolicyTests.Actions(s).Contains("es:ESHttpPost"));
            Assert.Equal(["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"], IamPolicyTests.Actions(es).Order());
            Assert.Equal([DomainArn, DomainArn + "/*"], es.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()));
        }
    }

    [Fact]
    public void Functions_SigV4ToACollection_MayCallOnlyThatCollection()
    {
        const string collection = "arn:aws:aoss:us-east-1:123456789012:collection/abc123";
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["openSearchAuth"] = "sigv4",
            ["openSearchService"] = "aoss",
            ["openSearchResourceArn"] = collection,
            ["openSearchCollectionName"] = "history",
        });
        var statement = Assert.Single(IamPolicyTests.PolicyStatementsOfRoleOf(pipeline, "IndexerFunction"), s => IamPolicyTests.Actions(s).Contains("aoss:APIAccessAll"));
        Assert.Equal(collection, statement.GetProperty("Resource").GetString());
        Assert.Equal("aoss", pipeline.Json.GetProperty("Resources").GetProperty("IndexerFunction").GetProperty("Properties")
            .GetProperty("Environment").GetProperty("Variables").GetProperty("OPENSEARCH_SERVICE").GetString());
    }

    [Fact]
    public void Functions_BasicAuth_GetNoAuthVariables()
    {
        using var pipeline = SynthesizedPipeline.Create();
        var variables = pipeline.Json.GetProperty("Resources").GetProperty("IndexerFunction").GetProperty("Properties").GetProperty("Environment").GetProperty("Variables");
        Assert.False(variables.TryGetProperty("OPENSEARCH_AUTH", out _));
    }

    [Theory]
    [InlineData("openSearchAuth", "iam", "openSearchAuth")]
    [InlineData("openSearchService", "es2", "openSearchService")]
    [InlineData("openSearchAuth", "sigv4", "openSearchResourceArn")]
    public void FromContext_BadSigV4Settings_FailNamingTheKey(string key, string value, string expected)
    {
        var values = new Dictionary<string, object> { ["clusterName"] = "demo", [key] = value };
        var ex = Assert.Throws<ConfigurationException>(() => PipelineSettings.FromContext(k => values.GetValueOrDefault(k)));
        Assert.Equal(expected, ex.Setting);
    }
}
