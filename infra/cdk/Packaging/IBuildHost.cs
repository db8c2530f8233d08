using System.Runtime.InteropServices;

namespace Infra.Packaging;

/// <summary>
/// What the machine running the synth can do towards building a function, as <see cref="BuildPlanner"/>
/// needs to know it. The two probes are asked only when the answer matters, so a machine that builds
/// locally never waits on Docker.
/// </summary>
public interface IBuildHost
{
    /// <summary>The operating system the synth runs on.</summary>
    OSPlatform OperatingSystem { get; }

    /// <summary>The machine's architecture (the OS's, not the process's: an x64 process under emulation still runs on arm64).</summary>
    Architecture Architecture { get; }

    /// <summary>
    /// What is missing to publish a Native AOT bootstrap for this machine's own architecture, as the
    /// packages a user would install (".NET SDK 10 (dotnet)", "clang (or gcc)", ...); empty when nothing is.
    /// </summary>
    IReadOnlyList<string> MissingToolchain();

    /// <summary>Whether a Docker engine answers (a CLI without a running engine does not count).</summary>
    bool DockerEngineAvailable();
}
