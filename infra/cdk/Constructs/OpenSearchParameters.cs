using Amazon.CDK;
using Amazon.CDK.AWS.SSM;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// The three SSM parameters the functions read with one GetParameters call: <c>&lt;prefix&gt;/host</c>
/// (String) and <c>&lt;prefix&gt;/user</c>, <c>&lt;prefix&gt;/password</c> (SecureString). CloudFormation cannot
/// create SecureStrings, so the user sets those two after the deploy (docs/deploy.md); the host is created
/// here when the endpoint is known.
/// </summary>
public sealed class OpenSearchParameters : Construct
{
    /// <summary>Creates the host parameter if an endpoint is given and computes the three ARNs.</summary>
    public OpenSearchParameters(Construct scope, string id, OpenSearchParametersProps props)
        : base(scope, id)
    {
        Prefix = props.Prefix;
        var stack = Stack.Of(this);
        string Arn(string name) => stack.FormatArn(new ArnComponents
        {
            Service = "ssm",
            Resource = "parameter",
            // The prefix starts with '/', and an SSM ARN for a path-style name is "parameter" + name.
            ResourceName = $"{props.Prefix.TrimStart('/')}/{name}",
            ArnFormat = ArnFormat.SLASH_RESOURCE_NAME,
        });
        ParameterArns = [Arn("host"), Arn("user"), Arn("password")];

        if (props.Endpoint is not null)
        {
            _ = new StringParameter(this, "Host", new StringParameterProps
            {
                ParameterName = $"{props.Prefix}/host",
                StringValue = props.Endpoint,
                Description = "OpenSearch domain endpoint the EKS history functions write to (with or without https://).",
            });
        }
    }

    /// <summary>The prefix the functions get as SSM_PARAMETER_PREFIX.</summary>
    public string Prefix { get; }

    /// <summary>ARN of the host parameter alone: all a function signing with SigV4 reads.</summary>
    public string HostArn => ParameterArns[0];

    /// <summary>ARNs of host, user and password: exactly what a function using basic auth may read.</summary>
    public IReadOnlyList<string> ParameterArns { get; }
}
