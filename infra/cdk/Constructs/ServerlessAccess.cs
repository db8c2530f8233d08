using Amazon.CDK;
using Amazon.CDK.AWS.OpenSearchServerless;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// The OpenSearch Serverless data access policy that lets the stack's roles do exactly what they do, on exactly
/// their index patterns in the one collection (openSearchCollectionName). IAM's <c>aoss:APIAccessAll</c> only lets
/// a role reach the collection; what it may do there is this policy. Permission names are those of AWS's
/// "Supported operations and plugins in Amazon OpenSearch Serverless":
/// <list type="bullet">
/// <item>each function: <c>aoss:CreateIndex</c> (its first write of a day creates the daily index),
/// <c>aoss:WriteDocument</c> (<c>_bulk</c>), <c>aoss:UpdateIndex</c> (mapping updates as new fields arrive),
/// <c>aoss:DescribeIndex</c>, on <c>&lt;its prefix&gt;-*</c> only; and on the collection
/// <c>aoss:CreateCollectionItems</c>, <c>aoss:UpdateCollectionItems</c> and <c>aoss:DescribeCollectionItems</c>,
/// which cover index templates (it installs its template before its first write);</item>
/// <item>the setup: the same on both patterns, plus <c>aoss:DeleteIndex</c> for the daily deletion of expired indices
/// (Serverless has no ISM) and of its versioning probe index.</item>
/// </list>
/// Nothing grants <c>aoss:ReadDocument</c>: the pipeline never reads documents (people searching need a policy of
/// their own).
/// </summary>
public sealed class ServerlessAccess : Construct
{
    private static readonly string[] WriterIndexPermissions = ["aoss:CreateIndex", "aoss:DescribeIndex", "aoss:UpdateIndex", "aoss:WriteDocument"];
    private static readonly string[] TemplatePermissions = ["aoss:CreateCollectionItems", "aoss:DescribeCollectionItems", "aoss:UpdateCollectionItems"];

    /// <summary>Creates the policy.</summary>
    public ServerlessAccess(Construct scope, string id, ServerlessAccessProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        var collection = settings.OpenSearchCollectionName!;
        var statements = new List<object>
        {
            Statement("IndexerFunction writes the events indices", collection, [settings.EventsIndex], WriterIndexPermissions, props.IndexerRole.RoleArn),
            Statement("ControlPlaneLogsFunction writes the control-plane indices", collection, [settings.ControlPlaneIndex], WriterIndexPermissions, props.ControlPlaneRole.RoleArn),
        };
        if (props.SetupRole is not null)
        {
            statements.Add(Statement(
                "SetupFunction installs templates and deletes expired daily indices",
                collection,
                [settings.EventsIndex, settings.ControlPlaneIndex],
                [.. WriterIndexPermissions, "aoss:DeleteIndex"],
                props.SetupRole.RoleArn));
        }

        Policy = new CfnAccessPolicy(this, "DataAccessPolicy", new CfnAccessPolicyProps
        {
            Name = PolicyName(settings.StackName, settings.ClusterName),
            Type = "data",
            Description = $"EKS history pipeline of cluster {settings.ClusterName}: its functions' rights on {collection}.",
            // The role ARNs are tokens: Stack.ToJsonString renders the document with Fn::Join around them.
            Policy = Stack.Of(this).ToJsonString(statements.ToArray()),
        });
    }

    /// <summary>The data access policy.</summary>
    public CfnAccessPolicy Policy { get; }

    /// <summary>
    /// A policy name Serverless accepts (3-32 of a-z, 0-9, '-', starting with a letter) that differs between stacks
    /// and clusters: <c>eh-&lt;cluster, cut&gt;-&lt;hash&gt;</c>.
    /// </summary>
    public static string PolicyName(string stackName, string clusterName)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{stackName}/{clusterName}")))[..6];
        var cluster = new string(clusterName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        cluster = cluster.Length > 22 ? cluster[..22].TrimEnd('-') : cluster;
        return cluster.Length == 0 ? $"eh-{hash}" : $"eh-{cluster}-{hash}";
    }

    private static Dictionary<string, object> Statement(string description, string collection, IEnumerable<string> prefixes, string[] indexPermissions, string principal) => new()
    {
        ["Description"] = description,
        ["Rules"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["ResourceType"] = "index",
                ["Resource"] = prefixes.Select(p => $"index/{collection}/{p}-*").ToArray(),
                ["Permission"] = indexPermissions,
            },
            new Dictionary<string, object>
            {
                ["ResourceType"] = "collection",
                ["Resource"] = new[] { $"collection/{collection}" },
                ["Permission"] = TemplatePermissions,
            },
        },
        ["Principal"] = new[] { principal },
    };
}
