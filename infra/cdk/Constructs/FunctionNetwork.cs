using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Infra.Settings;

namespace Infra.Constructs;

/// <summary>
/// The functions' place in the OpenSearch domain's VPC (context key vpcSubnetIds): their subnets, their security
/// group (the user's, or one the stack creates that allows only HTTPS out, which is all the functions speak: to
/// the domain and to SSM), and optionally an <c>ssm</c> interface endpoint, for private subnets without a NAT
/// gateway. Made once per stack and shared by every function that talks to OpenSearch. Everything is given by
/// id, with no lookup, so the synth needs no AWS access.
/// </summary>
public sealed class FunctionNetwork : Construct
{
    private const string Id = "FunctionNetwork";
    private static readonly IManagedPolicy VpcAccess = ManagedPolicy.FromAwsManagedPolicyName("service-role/AWSLambdaVPCAccessExecutionRole");

    private FunctionNetwork(Construct scope, VpcPlacement placement)
        : base(scope, Id)
    {
        SubnetIds = placement.SubnetIds;
        if (placement.SecurityGroupIds.Count > 0)
        {
            SecurityGroupIds = placement.SecurityGroupIds;
        }
        else
        {
            var group = new CfnSecurityGroup(this, "SecurityGroup", new CfnSecurityGroupProps
            {
                VpcId = placement.VpcId!,
                GroupDescription = "EKS history functions: HTTPS out to the OpenSearch domain and to SSM, nothing in.",
                // Naming egress replaces the default allow-all rule.
                SecurityGroupEgress = new object[]
                {
                    new CfnSecurityGroup.EgressProperty { IpProtocol = "tcp", FromPort = 443, ToPort = 443, CidrIp = "0.0.0.0/0", Description = "HTTPS to OpenSearch and AWS APIs" },
                },
            });
            CreatedSecurityGroupId = group.AttrGroupId;
            SecurityGroupIds = [group.AttrGroupId];
        }

        if (placement.SsmEndpoint)
        {
            var stack = Stack.Of(this);
            var endpointGroup = new CfnSecurityGroup(this, "SsmEndpointSecurityGroup", new CfnSecurityGroupProps
            {
                VpcId = placement.VpcId!,
                GroupDescription = "EKS history: the ssm interface endpoint, HTTPS in from the functions.",
                SecurityGroupIngress = SecurityGroupIds.Select(object (source) => new CfnSecurityGroup.IngressProperty
                {
                    IpProtocol = "tcp",
                    FromPort = 443,
                    ToPort = 443,
                    SourceSecurityGroupId = source,
                    Description = "HTTPS from the EKS history functions",
                }).ToArray(),
            });
            _ = new CfnVPCEndpoint(this, "SsmEndpoint", new CfnVPCEndpointProps
            {
                VpcId = placement.VpcId!,
                ServiceName = $"com.amazonaws.{stack.Region}.ssm",
                VpcEndpointType = "Interface",
                SubnetIds = [.. placement.SubnetIds],
                SecurityGroupIds = [endpointGroup.AttrGroupId],
                // The functions call ssm.<region>.amazonaws.com; private DNS makes that name resolve to the endpoint.
                PrivateDnsEnabled = true,
            });
        }
    }

    /// <summary>The subnets.</summary>
    public IReadOnlyList<string> SubnetIds { get; }

    /// <summary>The security groups (the user's or the created one).</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; }

    /// <summary>The id of the group the stack created, or null when the user gave theirs.</summary>
    public string? CreatedSecurityGroupId { get; }

    /// <summary>The stack's network, made on first use.</summary>
    public static FunctionNetwork For(Stack stack, VpcPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return stack.Node.TryFindChild(Id) as FunctionNetwork ?? new FunctionNetwork(stack, placement);
    }

    /// <summary>The stack's network, or null when nothing runs in a VPC.</summary>
    public static FunctionNetwork? Of(Stack stack) => stack?.Node.TryFindChild(Id) as FunctionNetwork;

    /// <summary>Puts <paramref name="function"/> into the subnets and groups, with the rights to make its network interfaces.</summary>
    public void Place(Function function)
    {
        ArgumentNullException.ThrowIfNull(function);
        // Set on the CloudFormation resource: the L2's Vpc property wants an IVpc, which means a lookup or
        // availability zones the synth cannot know offline.
        ((CfnFunction)function.Node.DefaultChild!).VpcConfig = new CfnFunction.VpcConfigProperty
        {
            SubnetIds = [.. SubnetIds],
            SecurityGroupIds = [.. SecurityGroupIds],
        };
        // Lambda needs ec2:CreateNetworkInterface and friends on the execution role before it can create the function.
        function.Role!.AddManagedPolicy(VpcAccess);
    }
}
