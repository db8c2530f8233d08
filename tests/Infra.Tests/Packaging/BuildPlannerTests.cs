using System.Runtime.InteropServices;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Tests.Packaging;

/// <summary>
/// The local-or-container decision for each machine and target. The machines are described, not real:
/// no Docker engine runs where these tests run, so "Docker" below is what the probe would answer.
/// </summary>
public sealed class BuildPlannerTests
{
    private static readonly string[] NoClang = ["clang"];

    private static StandInBuildHost Host(OSPlatform os, Architecture architecture, bool toolchain = true, bool docker = true) =>
        new(os, architecture, toolchain ? [] : NoClang, docker);

    [Fact]
    public void Choose_LinuxX64ForX64WithToolchain_BuildsLocallyWithoutAskingDocker()
    {
        var host = Host(OSPlatform.Linux, Architecture.X64);
        var plan = BuildPlanner.Choose(host, TargetArchitecture.X86_64);
        Assert.Equal(BuildPlace.Local, plan.Place);
        Assert.Equal(0, host.DockerProbes);
    }

    [Fact]
    public void Choose_LinuxArm64ForArm64WithToolchain_BuildsLocally()
    {
        var plan = BuildPlanner.Choose(Host(OSPlatform.Linux, Architecture.Arm64), TargetArchitecture.Arm64);
        Assert.Equal(BuildPlace.Local, plan.Place);
    }

    [Theory]
    [InlineData(Architecture.X64, "arm64")]
    [InlineData(Architecture.Arm64, "x86_64")]
    public void Choose_LinuxForTheOtherArchitecture_BuildsInTheContainerWithoutProbingTheToolchain(Architecture machine, string target)
    {
        var host = Host(OSPlatform.Linux, machine);
        var plan = BuildPlanner.Choose(host, TargetArchitecture.FromName(target)!);
        Assert.Equal(BuildPlace.Container, plan.Place);
        Assert.Contains("sysroot", plan.Reason, StringComparison.Ordinal);
        Assert.Equal(0, host.ToolchainProbes);
    }

    public static TheoryData<string, Architecture, string> NonLinuxMachines()
    {
        var data = new TheoryData<string, Architecture, string>();
        foreach (var os in new[] { "OSX", "WINDOWS" })
        {
            foreach (var machine in new[] { Architecture.X64, Architecture.Arm64 })
            {
                foreach (var target in TargetArchitecture.All)
                {
                    data.Add(os, machine, target.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NonLinuxMachines))]
    public void Choose_MacOsOrWindowsForEitherArchitecture_BuildsInTheContainer(string os, Architecture machine, string target)
    {
        var host = Host(OSPlatform.Create(os), machine);
        var plan = BuildPlanner.Choose(host, TargetArchitecture.FromName(target)!);
        Assert.Equal(BuildPlace.Container, plan.Place);
        Assert.Contains("does not compile across operating systems", plan.Reason, StringComparison.Ordinal);
        Assert.Equal(0, host.ToolchainProbes);
    }

    [Fact]
    public void Choose_LinuxWithoutToolchain_BuildsInTheContainerSayingWhatIsMissing()
    {
        var host = new StandInBuildHost(OSPlatform.Linux, Architecture.X64, [".NET SDK 10 (dotnet)", "clang"], docker: true);
        var plan = BuildPlanner.Choose(host, TargetArchitecture.X86_64);
        Assert.Equal(BuildPlace.Container, plan.Place);
        Assert.Contains("lacks .NET SDK 10 (dotnet), clang", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoToolchainAndNoDocker_FailsWithOneLineNamingBothFixes()
    {
        var ex = Assert.Throws<PackagingException>(() =>
            BuildPlanner.Choose(Host(OSPlatform.Linux, Architecture.X64, toolchain: false, docker: false), TargetArchitecture.X86_64));
        Assert.Equal(
            "Cannot build the x86_64 functions: this Linux x86_64 machine lacks clang, and no Docker engine answers. Install clang (docs/deploy.md), or start Docker so the synth builds them in a container; or pass -c prebuiltFunctionsDir=<dir> with bootstraps published elsewhere.",
            ex.Message);
    }

    [Fact]
    public void Choose_MacOsWithoutDocker_FailsWithOneLineNamingDockerAndALinuxMachine()
    {
        var ex = Assert.Throws<PackagingException>(() =>
            BuildPlanner.Choose(Host(OSPlatform.OSX, Architecture.Arm64, docker: false), TargetArchitecture.Arm64));
        Assert.Equal(
            "Cannot build the arm64 functions: Native AOT cannot build a Linux bootstrap on macOS arm64 (it does not compile across operating systems), and no Docker engine answers. Start Docker so the synth builds them in a container (docs/deploy.md), or run the deploy on Linux arm64 with the .NET 10 SDK and clang; or pass -c prebuiltFunctionsDir=<dir> with bootstraps published elsewhere.",
            ex.Message);
    }

    public static TheoryData<string, Architecture, string, bool, bool> EveryMachine()
    {
        var data = new TheoryData<string, Architecture, string, bool, bool>();
        foreach (var os in new[] { "LINUX", "OSX", "WINDOWS", "FREEBSD" })
        {
            foreach (var machine in new[] { Architecture.X64, Architecture.Arm64 })
            {
                foreach (var target in TargetArchitecture.All)
                {
                    foreach (var toolchain in new[] { true, false })
                    {
                        foreach (var docker in new[] { true, false })
                        {
                            data.Add(os, machine, target.Name, toolchain, docker);
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMachine))]
    public void Choose_EveryMachineAndTarget_LocalOnlyWhereItCanBuildContainerWhenDockerAnswersElseOneLine(string os, Architecture machine, string targetName, bool toolchain, bool docker)
    {
        var target = TargetArchitecture.FromName(targetName)!;
        var host = Host(OSPlatform.Create(os), machine, toolchain, docker);
        var canBuildHere = os == "LINUX" && machine == target.ProcessArchitecture && toolchain;
        if (!canBuildHere && !docker)
        {
            var ex = Assert.Throws<PackagingException>(() => BuildPlanner.Choose(host, target));
            Assert.DoesNotContain('\n', ex.Message);
            Assert.Contains("start Docker", ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("prebuiltFunctionsDir", ex.Message, StringComparison.Ordinal);
            Assert.Contains(toolchain || os != "LINUX" || machine != target.ProcessArchitecture ? $"Linux {target.Name}" : "Install clang", ex.Message, StringComparison.Ordinal);
            return;
        }

        var plan = BuildPlanner.Choose(host, target);
        Assert.Equal(canBuildHere ? BuildPlace.Local : BuildPlace.Container, plan.Place);
        Assert.Equal(canBuildHere ? 0 : 1, host.DockerProbes);
        Assert.DoesNotContain('\n', plan.Reason);
    }
}
