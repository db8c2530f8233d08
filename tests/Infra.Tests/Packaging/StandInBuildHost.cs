using System.Runtime.InteropServices;
using Infra.Packaging;

namespace Infra.Tests.Packaging;

/// <summary>A machine described by the test, counting how often each probe is asked.</summary>
public sealed class StandInBuildHost(OSPlatform os, Architecture architecture, IReadOnlyList<string> missingToolchain, bool docker) : IBuildHost
{
    public int ToolchainProbes { get; private set; }

    public int DockerProbes { get; private set; }

    public OSPlatform OperatingSystem => os;

    public Architecture Architecture => architecture;

    public IReadOnlyList<string> MissingToolchain()
    {
        ToolchainProbes++;
        return missingToolchain;
    }

    public bool DockerEngineAvailable()
    {
        DockerProbes++;
        return docker;
    }
}
