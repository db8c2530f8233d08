using System.Text.Json;

namespace Infra.Tests.Stacks;

/// <summary>openSearchService=aoss: the data access policy with exactly the stack's rights, and retention by a daily schedule.</summary>
public sealed class ServerlessTests : IDisposable
{
    public const string CollectionArn = "arn:aws:aoss:us-east-1:123456789012:collection/k2h4l9m3n8";

    private readonly SynthesizedPipeline _pipeline = SynthesizedPipeline.Create(Context);

    public static Dictionary<string, object> Context => new()
    {
        ["openSearchAuth"] = "sigv4",
        ["openSearchService"] = "aoss",
        ["openSearchResourceArn"] = CollectionArn,
        ["openSearchCollectionName"] = "history",
        ["eventsRetentionDays"] = "45",
    };

    private JsonElement Document()
    {
        var (_, policy) = _pipeline.Single("AWS::OpenSearchServerless::AccessPolicy");
        Assert.Equal("data", policy.GetProperty("Type").GetString());
        // The document holds the roles' ARNs, so CDK renders it with Fn::Join; with the ARNs replaced it is the JSON Serverless reads.
        var parts = policy.GetProperty("Policy").GetProperty("Fn::Join")[1].EnumerateArray()
            .Select(p => p.ValueKind == JsonValueKind.String ? p.GetString() : $"ROLE:{p.GetProperty("Fn::GetAtt")[0].GetString()}");
        return JsonDocument.Parse(string.Concat(parts)).RootElement.Clone();
    }

    private string RoleOf(string functionId) =>
        _pipeline.Json.GetProperty("Resources").GetProperty(functionId).GetProperty("Properties").GetProperty("Role").GetProperty("Fn::GetAtt")[0].GetString()!;

    private JsonElement StatementFor(string functionId) =>
        Assert.Single(Document().EnumerateArray(), s => s.GetProperty("Principal")[0].GetString() == $"ROLE:{RoleOf(functionId)}");

    private static (string[] Resources, string[] Permissions) Rule(JsonElement statement, string type)
    {
        var rule = Assert.Single(statement.GetProperty("Rules").EnumerateArray(), r => r.GetProperty("ResourceType").GetString() == type);
        return (rule.GetProperty("Resource").EnumerateArray().Select(r => r.GetString()!).ToArray(), rule.GetProperty("Permission").EnumerateArray().Select(p => p.GetString()!).Order().ToArray());
    }

    [Theory]
    [InlineData("IndexerFunction", "index/history/eks-kubernetes-events-*")]
    [InlineData("ControlPlaneLogsFunction", "index/history/eks-control-plane-logs-*")]
    public void AccessPolicy_EachFunction_MayWriteOnlyItsOwnIndicesAndTemplates(string functionId, string pattern)
    {
        var statement = StatementFor(functionId);

        var (indices, indexPermissions) = Rule(statement, "index");
        Assert.Equal([pattern], indices);
        Assert.Equal(["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:WriteDocument"], indexPermissions);
        var (collections, collectionPermissions) = Rule(statement, "collection");
        Assert.Equal(["collection/history"], collections);
        Assert.Equal(["aoss:CreateCollectionItems", "aoss:DescribeCollectionItems", "aoss:UpdateCollectionItems"], collectionPermissions);
    }

    [Fact]
    public void AccessPolicy_Setup_MayAlsoDeleteExpiredIndicesOfBothPrefixes()
    {
        var (indices, permissions) = Rule(StatementFor("SetupFunction"), "index");
        Assert.Equal(["index/history/eks-kubernetes-events-*", "index/history/eks-control-plane-logs-*"], indices);
        Assert.Contains("aoss:DeleteIndex", permissions);
        Assert.Equal(3, Document().GetArrayLength());
        Assert.DoesNotContain(Document().EnumerateArray(), s => s.GetRawText().Contains("ReadDocument", StringComparison.Ordinal));
    }

    [Fact]
    public void AccessPolicy_Name_IsOneServerlessAccepts()
    {
        var (_, policy) = _pipeline.Single("AWS::OpenSearchServerless::AccessPolicy");
        Assert.Matches("^[a-z][a-z0-9-]{2,31}$", policy.GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData("EksHistory", "history-test")]
    [InlineData("EksHistory", "A_Very_Long_Cluster_Name_With_Underscores_And_Capitals")]
    [InlineData("Other", "__")]
    public void PolicyName_AnyCluster_MatchesServerlessRulesAndDiffersPerStack(string stack, string cluster)
    {
        var name = Infra.Constructs.ServerlessAccess.PolicyName(stack, cluster);
        Assert.Matches("^[a-z][a-z0-9-]{2,31}$", name);
        Assert.DoesNotContain("--", name, StringComparison.Ordinal);
        Assert.NotEqual(name, Infra.Constructs.ServerlessAccess.PolicyName(stack + "2", cluster));
    }

    [Fact]
    public void OpenSearchSetup_Serverless_WaitsForTheAccessPolicy()
    {
        var (policyId, _) = _pipeline.Single("AWS::OpenSearchServerless::AccessPolicy");
        var (_, setup) = Assert.Single(_pipeline.Resources("Custom::OpenSearchSetup"));
        Assert.Contains(policyId, setup.GetProperty("DependsOn").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public void RetentionSchedule_Serverless_DeletesExpiredIndicesDaily()
    {
        var (_, rule) = _pipeline.Single("AWS::Events::Rule");
        Assert.Equal("cron(15 3 * * ? *)", rule.GetProperty("ScheduleExpression").GetString());
        var target = Assert.Single(rule.GetProperty("Targets").EnumerateArray());
        Assert.Equal("SetupFunction", target.GetProperty("Arn").GetProperty("Fn::GetAtt")[0].GetString());
        using var input = JsonDocument.Parse(target.GetProperty("Input").GetString()!);
        Assert.Equal("retention", input.RootElement.GetProperty("command").GetString());
        Assert.Equal("45", input.RootElement.GetProperty("properties").GetProperty("EventsRetentionDays").GetString());
        var permission = Assert.Single(_pipeline.Resources("AWS::Lambda::Permission").Values, p => p.GetProperty("Properties").GetProperty("Principal").GetString() == "events.amazonaws.com");
        Assert.Equal("SetupFunction", permission.GetProperty("Properties").GetProperty("FunctionName").GetProperty("Fn::GetAtt")[0].GetString());
    }

    [Fact]
    public void LifecyclePolicy_Serverless_IsNotCreated()
    {
        // Serverless' data lifecycle policies apply to time-series collections only, and those refuse the
        // client-chosen _id the pipeline depends on: a policy would never act on the search collection it needs.
        Assert.Empty(_pipeline.Resources("AWS::OpenSearchServerless::LifecyclePolicy"));
    }

    [Fact]
    public void Domain_Default_HasNoAccessPolicyOrSchedule()
    {
        using var pipeline = SynthesizedPipeline.Create();
        Assert.Empty(pipeline.Resources("AWS::OpenSearchServerless::AccessPolicy"));
        Assert.Empty(pipeline.Resources("AWS::Events::Rule"));
    }

    public void Dispose() => _pipeline.Dispose();
}
