using System.Text.Json;

namespace Infra.Tests.Stacks;

/// <summary>A domain inside a VPC: the functions that talk to it run there, the one answering CloudFormation does not.</summary>
public sealed class VpcPlacementTests
{
    public const string VpcId = "vpc-0a1b2c3d4e5f60718";
    public static readonly string[] Subnets = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"];

    private static readonly string[] OpenSearchFunctions = ["IndexerFunction", "ControlPlaneLogsFunction", "SetupWorker"];

    private static JsonElement Function(SynthesizedPipeline pipeline, string id) =>
        pipeline.Json.GetProperty("Resources").GetProperty(id).GetProperty("Properties");

    private static IEnumerable<string> ManagedPolicies(SynthesizedPipeline pipeline, string functionId)
    {
        var roleId = Function(pipeline, functionId).GetProperty("Role").GetProperty("Fn::GetAtt")[0].GetString()!;
        var role = pipeline.Json.GetProperty("Resources").GetProperty(roleId).GetProperty("Properties");
        return role.TryGetProperty("ManagedPolicyArns", out var arns) ? arns.EnumerateArray().Select(a => a.GetRawText()) : [];
    }

    [Fact]
    public void Synth_SubnetsAndVpc_CreatesAnHttpsOnlyGroupAndPlacesEveryOpenSearchFunction()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["vpcSubnetIds"] = string.Join(',', Subnets),
            ["vpcId"] = VpcId,
        });

        var (groupId, group) = pipeline.Single("AWS::EC2::SecurityGroup");
        Assert.Equal(VpcId, group.GetProperty("VpcId").GetString());
        var egress = Assert.Single(group.GetProperty("SecurityGroupEgress").EnumerateArray());
        Assert.Equal(443, egress.GetProperty("FromPort").GetInt32());
        Assert.Equal(443, egress.GetProperty("ToPort").GetInt32());
        Assert.False(group.TryGetProperty("SecurityGroupIngress", out _));
        foreach (var id in OpenSearchFunctions)
        {
            var config = Function(pipeline, id).GetProperty("VpcConfig");
            Assert.Equal(Subnets, config.GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(groupId, config.GetProperty("SecurityGroupIds")[0].GetProperty("Fn::GetAtt")[0].GetString());
            Assert.Contains(ManagedPolicies(pipeline, id), arn => arn.Contains("service-role/AWSLambdaVPCAccessExecutionRole", StringComparison.Ordinal));
        }

        Assert.Equal(groupId, pipeline.Json.GetProperty("Outputs").GetProperty("FunctionsSecurityGroupId").GetProperty("Value").GetProperty("Fn::GetAtt")[0].GetString());
    }

    [Fact]
    public void Synth_Vpc_SetupFunctionStaysOutsideAndHandsTheWorkToItsTwin()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["vpcSubnetIds"] = string.Join(',', Subnets),
            ["vpcId"] = VpcId,
        });

        var setup = Function(pipeline, "SetupFunction");
        // Outside the VPC: it reaches CloudFormation's S3 response URL without a NAT gateway.
        Assert.False(setup.TryGetProperty("VpcConfig", out _));
        Assert.Equal("SetupWorker", setup.GetProperty("Environment").GetProperty("Variables").GetProperty("SETUP_DELEGATE_FUNCTION").GetProperty("Ref").GetString());
        var statements = IamPolicyTests.PolicyStatementsOfRoleOf(pipeline, "SetupFunction");
        var invoke = Assert.Single(statements, s => IamPolicyTests.Actions(s).Contains("lambda:InvokeFunction"));
        Assert.Contains("SetupWorker", invoke.GetProperty("Resource").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(statements, s => IamPolicyTests.Actions(s).Contains("ssm:GetParameters"));
        Assert.Single(IamPolicyTests.PolicyStatementsOfRoleOf(pipeline, "SetupWorker"), s => IamPolicyTests.Actions(s).Contains("ssm:GetParameters"));
        Assert.Equal(240, Function(pipeline, "SetupWorker").GetProperty("Timeout").GetInt32());
    }

    [Fact]
    public void Synth_OwnSecurityGroups_UsesThemAndCreatesNone()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["vpcSubnetIds"] = Subnets[0],
            ["vpcSecurityGroupIds"] = "sg-0123456789abcdef0, sg-0fedcba9876543210",
        });

        Assert.Empty(pipeline.Resources("AWS::EC2::SecurityGroup"));
        Assert.Equal(["sg-0123456789abcdef0", "sg-0fedcba9876543210"], Function(pipeline, "IndexerFunction").GetProperty("VpcConfig").GetProperty("SecurityGroupIds").EnumerateArray().Select(g => g.GetString()));
        Assert.False(pipeline.Json.GetProperty("Outputs").TryGetProperty("FunctionsSecurityGroupId", out _));
    }

    [Fact]
    public void Synth_SsmEndpoint_CreatesAPrivateDnsEndpointReachableOnlyFromTheFunctions()
    {
        using var pipeline = SynthesizedPipeline.Create(new Dictionary<string, object>
        {
            ["vpcSubnetIds"] = string.Join(',', Subnets),
            ["vpcId"] = VpcId,
            ["vpcSsmEndpoint"] = "true",
        });

        var (_, endpoint) = pipeline.Single("AWS::EC2::VPCEndpoint");
        Assert.Equal("com.amazonaws.us-east-1.ssm", endpoint.GetProperty("ServiceName").GetString());
        Assert.Equal("Interface", endpoint.GetProperty("VpcEndpointType").GetString());
        Assert.True(endpoint.GetProperty("PrivateDnsEnabled").GetBoolean());
        Assert.Equal(Subnets, endpoint.GetProperty("SubnetIds").EnumerateArray().Select(s => s.GetString()));
        var endpointGroupId = endpoint.GetProperty("SecurityGroupIds")[0].GetProperty("Fn::GetAtt")[0].GetString()!;
        var ingress = Assert.Single(pipeline.Json.GetProperty("Resources").GetProperty(endpointGroupId).GetProperty("Properties").GetProperty("SecurityGroupIngress").EnumerateArray());
        Assert.Equal(443, ingress.GetProperty("FromPort").GetInt32());
        var functionsGroup = Function(pipeline, "IndexerFunction").GetProperty("VpcConfig").GetProperty("SecurityGroupIds")[0].GetProperty("Fn::GetAtt")[0].GetString();
        Assert.Equal(functionsGroup, ingress.GetProperty("SourceSecurityGroupId").GetProperty("Fn::GetAtt")[0].GetString());
    }

    [Fact]
    public void Synth_NoVpcKeys_PlacesNothingInAVpc()
    {
        using var pipeline = SynthesizedPipeline.Create();

        Assert.Empty(pipeline.Resources("AWS::EC2::SecurityGroup"));
        Assert.All(pipeline.Resources("AWS::Lambda::Function").Values, f => Assert.False(f.GetProperty("Properties").TryGetProperty("VpcConfig", out _)));
        Assert.False(pipeline.Json.GetProperty("Resources").TryGetProperty("SetupWorker", out _));
    }
}
