using Infra.Settings;

namespace Infra.Packaging;

/// <summary>
/// The one <c>dotnet publish</c> that builds a function's bootstrap, whether on this machine or in the
/// build container: the same arguments, run from the repository root (locally) or from its mount at
/// <see cref="ContainerSourceDirectory"/>; only the scratch and output directories differ.
/// </summary>
public sealed class PublishCommand
{
    /// <summary>Where CDK mounts the asset's source (the repository root) in the container.</summary>
    public const string ContainerSourceDirectory = "/asset-input";

    /// <summary>Where CDK collects the asset from in the container.</summary>
    public const string ContainerOutputDirectory = "/asset-output";

    /// <summary>The container's scratch directory for intermediate files (inside the container, thrown away with it).</summary>
    public const string ContainerScratchDirectory = "/tmp/eks-history-publish";

    /// <summary>The program both run.</summary>
    public const string Executable = "dotnet";

    /// <summary>Creates the command for one function and architecture.</summary>
    public PublishCommand(string projectName, TargetArchitecture architecture)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(projectName);
        ArgumentNullException.ThrowIfNull(architecture);
        ProjectName = projectName;
        Architecture = architecture;
    }

    /// <summary>The project under src/.</summary>
    public string ProjectName { get; }

    /// <summary>The architecture the bootstrap is published for.</summary>
    public TargetArchitecture Architecture { get; }

    /// <summary>Variables both set: no first-run banner or telemetry prompt in the bundling output.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>The command the build container runs (working directory <see cref="ContainerSourceDirectory"/>).</summary>
    public IReadOnlyList<string> ContainerCommand => [Executable, .. Arguments(ContainerScratchDirectory, ContainerOutputDirectory)];

    /// <summary>The arguments to <c>dotnet</c>, run from the repository root.</summary>
    /// <param name="scratchDirectory">Where restore and build put their intermediate files.</param>
    /// <param name="outputDirectory">The asset directory: after the publish it holds <c>bootstrap</c> and nothing else.</param>
    public IReadOnlyList<string> Arguments(string scratchDirectory, string outputDirectory) =>
    [
        "publish", $"src/{ProjectName}", "-c", "Release", "-r", Architecture.RuntimeIdentifier, "--nologo",
        // No pdbs and no bootstrap.dbg: the output directory is the Lambda package.
        "-p:DebugType=none",
        // bin/ and obj/ outside the source tree: a bundling run, and above all a container's (with its
        // own paths in project.assets.json), must not leave state where the user's builds look.
        "--artifacts-path", scratchDirectory,
        "-o", outputDirectory,
    ];
}
