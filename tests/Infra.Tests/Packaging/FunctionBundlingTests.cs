using Amazon.CDK;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Tests.Packaging;

/// <summary>
/// The synthesized bundling options, and that the container runs the very publish the local path runs.
/// No Docker engine runs where these tests run: the container side is checked by the options CDK is given
/// (and, end to end, by CdkBundlingTests with a stand-in docker CLI), never by running the image.
/// </summary>
public sealed class FunctionBundlingTests
{
    private static readonly DockerImage StandInImage = DockerImage.FromRegistry("stand-in-for-the-built-image:no-docker-engine-here");

    public static TheoryData<string, string> ProjectsAndArchitectures()
    {
        var data = new TheoryData<string, string>();
        foreach (var project in new[] { "IndexerFunction", "ControlPlaneLogsFunction" })
        {
            foreach (var architecture in TargetArchitecture.All)
            {
                data.Add(project, architecture.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProjectsAndArchitectures))]
    public void Options_LocalAndContainer_RunTheSamePublishFromTheRepositoryRoot(string project, string architecture)
    {
        var command = new PublishCommand(project, TargetArchitecture.FromName(architecture)!);
        var local = new DotnetPublishBundling(command, RepositoryPaths.Combine());
        var options = FunctionBundling.Options(command, BuildPlace.Container, StandInImage, local);

        const string scratch = "/tmp/local-scratch";
        const string output = "/tmp/local-output";
        var start = local.StartInfo(scratch, output);
        // The local process with its two directories named as the container names them.
        var localCommand = new[] { start.FileName }
            .Concat(start.ArgumentList.Select(a => a switch
            {
                scratch => PublishCommand.ContainerScratchDirectory,
                output => PublishCommand.ContainerOutputDirectory,
                _ => a,
            }))
            .ToArray();
        Assert.Equal(localCommand, options.Command);
        Assert.Equal(RepositoryPaths.Combine(), start.WorkingDirectory);
        Assert.Equal(PublishCommand.ContainerSourceDirectory, options.WorkingDirectory);
        foreach (var (name, value) in options.Environment!)
        {
            Assert.Equal(value, start.Environment[name]);
        }
    }

    [Theory]
    [InlineData("x86_64", "linux-x64", "linux/amd64")]
    [InlineData("arm64", "linux-arm64", "linux/arm64")]
    public void Options_ContainerPlanWithoutDockerEngineHere_RunsTheImageForTheTargetPlatformAndNoLocalBuild(string architecture, string runtime, string platform)
    {
        var command = new PublishCommand("IndexerFunction", TargetArchitecture.FromName(architecture)!);
        var options = FunctionBundling.Options(command, BuildPlace.Container, StandInImage, new DotnetPublishBundling(command, RepositoryPaths.Combine()));

        Assert.Null(options.Local);
        Assert.Same(StandInImage, options.Image);
        Assert.Equal(platform, options.Platform);
        Assert.Equal(
            ["dotnet", "publish", "src/IndexerFunction", "-c", "Release", "-r", runtime, "--nologo", "-p:DebugType=none",
             "--artifacts-path", "/tmp/eks-history-publish", "-o", "/asset-output"],
            options.Command!);
    }

    [Fact]
    public void Options_LocalPlan_OffersTheLocalBundlerAndNamesAnImageThatIsNeverBuilt()
    {
        var command = new PublishCommand("ControlPlaneLogsFunction", TargetArchitecture.Arm64);
        var local = new DotnetPublishBundling(command, RepositoryPaths.Combine());
        var options = FunctionBundling.Options(command, BuildPlace.Local, FunctionBundling.LocalOnlyImage, local);

        Assert.Same(local, options.Local);
        Assert.Same(FunctionBundling.LocalOnlyImage, options.Image);
        Assert.Equal("linux/arm64", options.Platform);
    }

    [Fact]
    public void ContainerDirectories_AreTheOnesCdkMounts()
    {
        Assert.Equal(PublishCommand.ContainerSourceDirectory, AssetStaging.BUNDLING_INPUT_DIR);
        Assert.Equal(PublishCommand.ContainerOutputDirectory, AssetStaging.BUNDLING_OUTPUT_DIR);
    }

    [Theory]
    [InlineData("x86_64", "linux/amd64")]
    [InlineData("arm64", "linux/arm64")]
    public void BuildOptions_Architecture_BuildsTheImageForTheTargetPlatform(string architecture, string platform)
    {
        Assert.Equal(platform, AotBuildImage.BuildOptions(TargetArchitecture.FromName(architecture)!).Platform);
        Assert.True(File.Exists(Path.Combine(AotBuildImage.DirectoryPath, "Dockerfile")));
    }

    [Fact]
    public void Dockerfile_BuildImage_IsAmazonLinux2023PinnedWithTheAotPrerequisites()
    {
        var dockerfile = File.ReadAllText(Path.Combine(AotBuildImage.DirectoryPath, "Dockerfile"));
        var lines = dockerfile.Split('\n');
        var from = Assert.Single(lines, line => line.StartsWith("FROM ", StringComparison.Ordinal));
        // Amazon Linux 2023 (glibc 2.34, as provided.al2023): the 2023 tag by default, since every AL2023 release
        // keeps glibc 2.34, and a release pinned through the AL2023_TAG build argument.
        Assert.Equal("FROM public.ecr.aws/amazonlinux/amazonlinux:${AL2023_TAG}", from.TrimEnd());
        Assert.Matches(@"^ARG AL2023_TAG=2023(\.\d+\.\d{8}\.\d+)?$", Assert.Single(lines, line => line.StartsWith("ARG AL2023_TAG", StringComparison.Ordinal)).TrimEnd());
        foreach (var package in new[] { "clang", "binutils", "zlib-devel", "krb5-devel", "libicu" })
        {
            Assert.Contains($" {package} ", dockerfile, StringComparison.Ordinal);
        }

        Assert.Matches(@"ARG DOTNET_SDK_VERSION=10\.0\.\d+", dockerfile);
        Assert.Contains("DOTNET_CLI_HOME=/tmp/", dockerfile, StringComparison.Ordinal);
        Assert.Contains("NUGET_PACKAGES=/tmp/", dockerfile, StringComparison.Ordinal);
    }
}
