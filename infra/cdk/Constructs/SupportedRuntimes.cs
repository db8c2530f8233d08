using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Infra.Constructs;

/// <summary>
/// Moves the CDK's own helper functions (the kubectl handler and the custom-resource provider behind
/// deployCollector=true) off runtimes Lambda no longer lets anyone create. Amazon.CDK.Lib 2.160.0, the
/// only version our package mirror serves, still pins python3.11 and nodejs20.x there, and a stack using
/// them fails at CREATE. Our own functions run on provided.al2023 and are not touched.
/// </summary>
public sealed class SupportedRuntimes : DeputyBase, IAspect
{
    /// <summary>Deprecated runtime → the runtime that replaces it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Replacements = new Dictionary<string, string>
    {
        ["python3.11"] = "python3.13",
        ["nodejs20.x"] = "nodejs22.x",
    };

    /// <inheritdoc />
    public void Visit(IConstruct node)
    {
        if (node is CfnFunction function && function.Runtime is { } runtime && Replacements.TryGetValue(runtime, out var replacement))
        {
            function.Runtime = replacement;
        }
    }
}
