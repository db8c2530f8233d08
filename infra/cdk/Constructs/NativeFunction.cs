using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Shared.Contract.Settings;

namespace Infra.Constructs;

/// <summary>
/// One of our Native AOT functions on <c>provided.al2023</c> (handler <c>bootstrap</c>) with its own log
/// group and the only AWS rights it needs beyond logging: reading its three OpenSearch parameters.
/// </summary>
public sealed class NativeFunction : Construct
{
    /// <summary>Creates the function, its log group and its parameter policy.</summary>
    public NativeFunction(Construct scope, string id, NativeFunctionProps props)
        : base(scope, id)
    {
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        // The L2 takes an enum; the settings already checked the number is one CloudWatch accepts.
        ((CfnLogGroup)LogGroup.Node.DefaultChild!).RetentionInDays = props.LogRetentionDays;

        Function = new Function(this, "Function", new FunctionProps
        {
            Runtime = Runtime.PROVIDED_AL2023,
            Handler = "bootstrap",
            Architecture = props.Architecture,
            Code = props.Code,
            Description = props.Description,
            Timeout = Duration.Seconds(props.TimeoutSeconds),
            MemorySize = props.MemoryMb,
            Environment = Environment(props),
            LogGroup = LogGroup,
            RetryAttempts = props.RetryAttempts,
            OnFailure = props.OnFailure,
        });
        // A stable logical id, so `sam local invoke <ProjectName>` and samconfig.toml name it.
        ((CfnFunction)Function.Node.DefaultChild!).OverrideLogicalId(props.LogicalId ?? props.ProjectName);

        var access = props.Access;
        var stack = Stack.Of(this);
        if (!props.OpenSearchAccess)
        {
            return;
        }

        if (access.Vpc is not null)
        {
            // A VPC domain is reachable only from inside its VPC.
            FunctionNetwork.For(stack, access.Vpc).Place(Function);
        }

        if (access.SigV4)
        {
            // Signing with the execution role: the function reads only the host parameter (a String, so
            // no KMS), and may call the domain's (or collection's) HTTP API.
            Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "ReadOpenSearchHost",
                Actions = ["ssm:GetParameters"],
                Resources = [props.Parameters.HostArn],
            }));
            Function.AddToRolePolicy(access.OpenSearchService == "es"
                ? new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "CallOpenSearchDomain",
                    Actions = ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"],
                    Resources = [access.OpenSearchResourceArn!, $"{access.OpenSearchResourceArn}/*"],
                })
                : new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "CallOpenSearchCollection",
                    Actions = ["aoss:APIAccessAll"],
                    Resources = [access.OpenSearchResourceArn!],
                }));
            return;
        }

        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadOpenSearchParameters",
            Actions = ["ssm:GetParameters"],
            Resources = props.Parameters.ParameterArns.ToArray(),
        }));
        // SecureStrings are decrypted by SSM with the account's key; the condition keeps this grant from
        // being usable for anything but SSM's own decrypt calls.
        Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "DecryptSecureStringsThroughSsm",
            Actions = ["kms:Decrypt"],
            Resources = [stack.FormatArn(new ArnComponents { Service = "kms", Resource = "key", ResourceName = "*" })],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["kms:ViaService"] = $"ssm.{stack.Region}.{stack.UrlSuffix}",
                },
            },
        }));
    }

    private static Dictionary<string, string> Environment(NativeFunctionProps props)
    {
        var environment = props.Environment.ToDictionary(pair => pair.Key, pair => pair.Value);
        if (props.Access.SigV4)
        {
            environment[EnvironmentVariableNames.OpenSearchAuth] = "sigv4";
            environment[EnvironmentVariableNames.OpenSearchService] = props.Access.OpenSearchService;
        }

        return environment;
    }

    /// <summary>The Lambda function.</summary>
    public Function Function { get; }

    /// <summary>Its log group.</summary>
    public LogGroup LogGroup { get; }
}
