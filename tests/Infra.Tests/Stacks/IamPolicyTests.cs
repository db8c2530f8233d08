using System.Text.Json;

namespace Infra.Tests.Stacks;

public sealed class IamPolicyTests(DefaultPipelineFixture fixture) : IClassFixture<DefaultPipelineFixture>
{
    private readonly SynthesizedPipeline _pipeline = fixture.Pipeline;

    /// <summary>Every statement of every inline policy and trust policy in the template.</summary>
    internal static IEnumerable<JsonElement> Statements(SynthesizedPipeline pipeline)
    {
        foreach (var policy in pipeline.Resources("AWS::IAM::Policy").Values)
        {
            foreach (var statement in policy.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            {
                yield return statement;
            }
        }

        foreach (var role in pipeline.Resources("AWS::IAM::Role").Values)
        {
            var properties = role.GetProperty("Properties");
            foreach (var statement in properties.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray())
            {
                yield return statement;
            }

            if (properties.TryGetProperty("Policies", out var inline))
            {
                foreach (var policy in inline.EnumerateArray())
                {
                    foreach (var statement in policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
                    {
                        yield return statement;
                    }
                }
            }
        }
    }

    internal static IEnumerable<string> Actions(JsonElement statement) =>
        statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } many
            ? many.EnumerateArray().Select(a => a.GetString()!)
            : [statement.GetProperty("Action").GetString()!];

    internal static IReadOnlyList<JsonElement> PolicyStatementsOfRoleOf(SynthesizedPipeline pipeline, string functionId)
    {
        var roleId = pipeline.Json.GetProperty("Resources").GetProperty(functionId).GetProperty("Properties")
            .GetProperty("Role").GetProperty("Fn::GetAtt")[0].GetString();
        return pipeline.Resources("AWS::IAM::Policy").Values
            .Select(p => p.GetProperty("Properties"))
            .Where(p => p.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("Ref").GetString() == roleId))
            .SelectMany(p => p.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .ToList();
    }

    /// <summary>Every Action/NotAction value anywhere in a template: IAM, queue and topic policies alike.</summary>
    internal static IEnumerable<string> AllActions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name is "Action" or "NotAction")
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var action in property.Value.EnumerateArray())
                        {
                            yield return action.GetString()!;
                        }
                    }
                }
                else
                {
                    foreach (var nested in AllActions(property.Value))
                    {
                        yield return nested;
                    }
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var nested in element.EnumerateArray().SelectMany(AllActions))
            {
                yield return nested;
            }
        }
    }

    [Fact]
    public void Statements_WholeTemplate_NameNoWildcardAction()
    {
        var actions = AllActions(_pipeline.Json).ToList();
        Assert.Contains("sqs:SendMessage", actions);
        Assert.DoesNotContain(actions, action => action.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public void Statements_DeployCollectorTemplates_NameNoWildcardAction()
    {
        using var deployed = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["deployCollector"] = "true",
            ["kubectlRoleArn"] = "arn:aws:iam::123456789012:role/cluster-admin",
        });
        // The kubectl provider comes as a nested stack of CDK's making; it must hold to the rule as well.
        var templates = Directory.GetFiles(deployed.Outdir, "*.template.json");
        Assert.Equal(2, templates.Length);
        foreach (var template in templates)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(template));
            var actions = AllActions(document.RootElement).ToList();
            Assert.NotEmpty(actions);
            Assert.DoesNotContain(actions, action => action.Contains('*', StringComparison.Ordinal));
        }
    }

    [Fact]
    public void QueuePolicies_AllQueues_RefuseInsecureTransport()
    {
        var queues = _pipeline.Resources("AWS::SQS::Queue").Keys.ToList();
        Assert.Equal(4, queues.Count);
        var guarded = _pipeline.Resources("AWS::SQS::QueuePolicy").Values
            .Select(p => p.GetProperty("Properties"))
            .Where(p => p.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().Any(s =>
                s.GetProperty("Effect").GetString() == "Deny"
                && s.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString() == "false"
                && Actions(s).Contains("sqs:ReceiveMessage")))
            .SelectMany(p => p.GetProperty("Queues").EnumerateArray().Select(q => q.GetProperty("Ref").GetString()))
            .ToHashSet();
        Assert.All(queues, q => Assert.Contains(q, guarded));
    }

    [Theory]
    [InlineData("IndexerFunction")]
    [InlineData("ControlPlaneLogsFunction")]
    public void FunctionRole_Default_ReadsExactlyItsThreeParameters(string functionId)
    {
        var statement = Assert.Single(PolicyStatementsOfRoleOf(_pipeline, functionId), s => Actions(s).Contains("ssm:GetParameters"));
        Assert.Equal(["ssm:GetParameters"], Actions(statement));
        var resources = statement.GetProperty("Resource").EnumerateArray().Select(r => r.GetRawText()).ToList();
        Assert.Equal(3, resources.Count);
        foreach (var name in new[] { "host", "user", "password" })
        {
            Assert.Single(resources, r => r.Contains($":parameter/eksworkshop/history-test/opensearch/{name}\"", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("IndexerFunction")]
    [InlineData("ControlPlaneLogsFunction")]
    public void FunctionRole_Default_DecryptsOnlyThroughSsm(string functionId)
    {
        var statement = Assert.Single(PolicyStatementsOfRoleOf(_pipeline, functionId), s => Actions(s).Contains("kms:Decrypt"));
        var via = statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("kms:ViaService").GetRawText();
        Assert.Contains("ssm.us-east-1.", via, StringComparison.Ordinal);
    }

    [Fact]
    public void IndexerRole_Default_ConsumesOnlyTheEventsQueue()
    {
        var statement = Assert.Single(PolicyStatementsOfRoleOf(_pipeline, "IndexerFunction"), s => Actions(s).Contains("sqs:ReceiveMessage"));
        Assert.Contains("sqs:DeleteMessage", Actions(statement));
        Assert.StartsWith("EventsQueue", statement.GetProperty("Resource").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IndexerRole_Default_MaySendOnlyToItsOwnQueueToHoldMessages()
    {
        var sends = PolicyStatementsOfRoleOf(_pipeline, "IndexerFunction").Where(s => Actions(s).Any(a => a.StartsWith("sqs:Send", StringComparison.Ordinal))).ToList();
        var statement = Assert.Single(sends);
        Assert.Equal(["sqs:SendMessage"], Actions(statement));
        Assert.StartsWith("EventsQueue", statement.GetProperty("Resource").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Arn", statement.GetProperty("Resource").GetProperty("Fn::GetAtt")[1].GetString());
    }

    [Fact]
    public void ControlPlaneRole_Default_SendsAndConsumesOnlyItsFailureQueue()
    {
        var statements = PolicyStatementsOfRoleOf(_pipeline, "ControlPlaneLogsFunction").Where(s => Actions(s).Any(a => a.StartsWith("sqs:", StringComparison.Ordinal))).ToList();
        Assert.Contains(statements, s => Actions(s).Contains("sqs:SendMessage"));
        Assert.Contains(statements, s => Actions(s).Contains("sqs:ReceiveMessage") && Actions(s).Contains("sqs:DeleteMessage"));
        Assert.All(statements, s => Assert.StartsWith("ControlPlaneFailedInvocations", s.GetProperty("Resource").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public void CollectorRole_Default_MayOnlySendToTheEventsQueue()
    {
        var (roleId, role) = _pipeline.Single("AWS::IAM::Role", "CollectorRole");
        var statements = _pipeline.Resources("AWS::IAM::Policy").Values
            .Select(p => p.GetProperty("Properties"))
            .Where(p => p.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("Ref").GetString() == roleId))
            .SelectMany(p => p.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .ToList();
        var statement = Assert.Single(statements);
        Assert.Equal(["sqs:SendMessage"], Actions(statement));
        Assert.StartsWith("EventsQueue", statement.GetProperty("Resource").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
        Assert.False(role.TryGetProperty("ManagedPolicyArns", out _));
    }

    [Fact]
    public void CollectorRole_PodIdentity_IsTrustedByThePodIdentityServiceWithSessionTags()
    {
        var (_, role) = _pipeline.Single("AWS::IAM::Role", "CollectorRole");
        var trust = Assert.Single(role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal("pods.eks.amazonaws.com", trust.GetProperty("Principal").GetProperty("Service").GetString());
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], Actions(trust).Order());

        var (_, association) = _pipeline.Single("AWS::EKS::PodIdentityAssociation");
        Assert.Equal("history-test", association.GetProperty("ClusterName").GetString());
        Assert.Equal("eks-history", association.GetProperty("Namespace").GetString());
        Assert.Equal("eks-history-collector", association.GetProperty("ServiceAccount").GetString());
        Assert.StartsWith("CollectorRole", association.GetProperty("RoleArn").GetProperty("Fn::GetAtt")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CollectorRole_Irsa_TrustsOnlyTheServiceAccountThroughTheOidcProvider()
    {
        const string provider = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123";
        using var irsa = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["collectorIdentity"] = "irsa",
            ["oidcProviderArn"] = provider,
        });
        var (_, role) = irsa.Single("AWS::IAM::Role", "CollectorRole");
        var trust = Assert.Single(role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal(provider, trust.GetProperty("Principal").GetProperty("Federated").GetString());
        Assert.Equal(["sts:AssumeRoleWithWebIdentity"], Actions(trust));
        var equals = trust.GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal("system:serviceaccount:eks-history:eks-history-collector", equals.GetProperty("oidc.eks.us-east-1.amazonaws.com/id/ABC123:sub").GetString());
        Assert.Equal("sts.amazonaws.com", equals.GetProperty("oidc.eks.us-east-1.amazonaws.com/id/ABC123:aud").GetString());
        Assert.Empty(irsa.Resources("AWS::EKS::PodIdentityAssociation"));
    }
}
