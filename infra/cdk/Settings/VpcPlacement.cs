namespace Infra.Settings;

/// <summary>
/// Where the functions run when the OpenSearch domain lives in a VPC (context keys vpcSubnetIds,
/// vpcSecurityGroupIds, vpcId, vpcSsmEndpoint). Taken as given, with no lookup, so the synth stays offline.
/// </summary>
public sealed record VpcPlacement
{
    /// <summary>The private subnets the functions get their network interfaces in (two or more AZs for availability).</summary>
    public required IReadOnlyList<string> SubnetIds { get; init; }

    /// <summary>The security groups to use; empty means the stack creates one in <see cref="VpcId"/>.</summary>
    public required IReadOnlyList<string> SecurityGroupIds { get; init; }

    /// <summary>The VPC of the subnets: needed to create a security group or the SSM endpoint.</summary>
    public string? VpcId { get; init; }

    /// <summary>True: the stack creates an <c>ssm</c> interface endpoint (private DNS) in the subnets.</summary>
    public required bool SsmEndpoint { get; init; }
}
