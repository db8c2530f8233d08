using System.Runtime.InteropServices;
using Infra.Settings;

namespace Infra.Packaging;

/// <summary>
/// Decides where a function's bootstrap is built, CDK's way: on this machine when it can build the target
/// (Linux, the same architecture, the .NET SDK and the native toolchain present), otherwise in the build
/// container when a Docker engine answers. Native AOT does not compile across operating systems, and
/// across architectures only with a target sysroot we do not assume. When neither way is open the answer
/// is one line naming the fixes, not a compiler error halfway through a publish.
/// </summary>
public static class BuildPlanner
{
    /// <summary>Where to build the functions for <paramref name="target"/> on <paramref name="host"/>.</summary>
    /// <exception cref="PackagingException">Neither way is possible; the message says what to change.</exception>
    public static BuildPlan Choose(IBuildHost host, TargetArchitecture target)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(target);
        var machine = $"{OperatingSystemName(host.OperatingSystem)} {ArchitectureName(host.Architecture)}";
        IReadOnlyList<string> missing = [];
        string whyNotLocal;
        if (host.OperatingSystem != OSPlatform.Linux)
        {
            whyNotLocal = $"Native AOT cannot build a Linux bootstrap on {machine} (it does not compile across operating systems)";
        }
        else if (host.Architecture != target.ProcessArchitecture)
        {
            whyNotLocal = $"this {machine} machine cannot link a {target.RuntimeIdentifier} bootstrap without a cross-compilation sysroot";
        }
        else if ((missing = host.MissingToolchain()).Count > 0)
        {
            whyNotLocal = $"this {machine} machine lacks {string.Join(", ", missing)}";
        }
        else
        {
            return new BuildPlan(BuildPlace.Local, $"this {machine} machine has the .NET SDK and the Native AOT toolchain");
        }

        if (host.DockerEngineAvailable())
        {
            return new BuildPlan(BuildPlace.Container, whyNotLocal);
        }

        // One line, both ways out: what to install (or where to build instead) and Docker.
        throw new PackagingException(missing.Count > 0
            ? $"Cannot build the {target.Name} functions: {whyNotLocal}, and no Docker engine answers. Install {string.Join(", ", missing)} (docs/deploy.md), or start Docker so the synth builds them in a container; or pass -c prebuiltFunctionsDir=<dir> with bootstraps published elsewhere."
            : $"Cannot build the {target.Name} functions: {whyNotLocal}, and no Docker engine answers. Start Docker so the synth builds them in a container (docs/deploy.md), or run the deploy on Linux {target.Name} with the .NET 10 SDK and clang; or pass -c prebuiltFunctionsDir=<dir> with bootstraps published elsewhere.");
    }

    private static string OperatingSystemName(OSPlatform platform) =>
        platform == OSPlatform.Linux ? "Linux"
        : platform == OSPlatform.OSX ? "macOS"
        : platform == OSPlatform.Windows ? "Windows"
        : platform == OSPlatform.FreeBSD ? "FreeBSD"
        : platform.ToString();

    private static string ArchitectureName(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "arm64",
        _ => architecture.ToString().ToLowerInvariant(),
    };
}
