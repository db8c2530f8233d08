using System.Runtime.InteropServices;

namespace Infra.Settings;

/// <summary>
/// A CPU architecture the pipeline runs on, with every name the tools give it in one place: the context
/// value (Lambda's own name), the .NET runtime identifier, the Docker platform and the Kubernetes node
/// label. Graviton (arm64) Lambda costs about 20 % less per GB-second than x86_64 (docs/performance.md).
/// </summary>
public sealed class TargetArchitecture
{
    /// <summary>x86_64 (Intel/AMD): the default.</summary>
    public static readonly TargetArchitecture X86_64 = new("x86_64", "linux-x64", "linux/amd64", "amd64", Architecture.X64);

    /// <summary>arm64 (AWS Graviton).</summary>
    public static readonly TargetArchitecture Arm64 = new("arm64", "linux-arm64", "linux/arm64", "arm64", Architecture.Arm64);

    private TargetArchitecture(string name, string runtimeIdentifier, string dockerPlatform, string kubernetesName, Architecture processArchitecture)
    {
        Name = name;
        RuntimeIdentifier = runtimeIdentifier;
        DockerPlatform = dockerPlatform;
        KubernetesName = kubernetesName;
        ProcessArchitecture = processArchitecture;
    }

    /// <summary>Both, in the order the docs list them.</summary>
    public static IReadOnlyList<TargetArchitecture> All { get; } = [X86_64, Arm64];

    /// <summary>The context value and Lambda's name for it: x86_64 or arm64.</summary>
    public string Name { get; }

    /// <summary>The .NET runtime identifier a bootstrap is published for: linux-x64 or linux-arm64.</summary>
    public string RuntimeIdentifier { get; }

    /// <summary>The Docker platform: linux/amd64 or linux/arm64.</summary>
    public string DockerPlatform { get; }

    /// <summary>The value of a node's <c>kubernetes.io/arch</c> label: amd64 or arm64.</summary>
    public string KubernetesName { get; }

    /// <summary>How <see cref="RuntimeInformation.OSArchitecture"/> names it on a machine of this architecture.</summary>
    public Architecture ProcessArchitecture { get; }

    /// <summary>The Lambda function architecture.</summary>
    public Amazon.CDK.AWS.Lambda.Architecture Lambda => this == Arm64 ? Amazon.CDK.AWS.Lambda.Architecture.ARM_64 : Amazon.CDK.AWS.Lambda.Architecture.X86_64;

    /// <summary>The architecture with this context value, or null.</summary>
    public static TargetArchitecture? FromName(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
