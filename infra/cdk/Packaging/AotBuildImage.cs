using System.Collections.Concurrent;
using Amazon.CDK;
using Infra.Settings;

namespace Infra.Packaging;

/// <summary>
/// The container the functions are built in when this machine cannot build them: build-image/Dockerfile
/// (Amazon Linux 2023, the .NET SDK and the Native AOT prerequisites), built by CDK for the target's
/// platform. Building runs <c>docker build</c> at once, so it is asked for only when the plan is a
/// container build, and once per architecture.
/// </summary>
public static class AotBuildImage
{
    private static readonly ConcurrentDictionary<TargetArchitecture, DockerImage> Images = new();

    /// <summary>The folder holding the Dockerfile (the build context; nothing else is in it).</summary>
    public static string DirectoryPath => RepositoryLayout.Path("infra/cdk/Packaging/build-image");

    /// <summary>The <c>docker build</c> options for one architecture: the image is built for the target's platform.</summary>
    public static DockerBuildOptions BuildOptions(TargetArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return new DockerBuildOptions { Platform = architecture.DockerPlatform };
    }

    /// <summary>Builds (or takes from Docker's cache) the image for one architecture.</summary>
    public static DockerImage For(TargetArchitecture architecture) =>
        Images.GetOrAdd(architecture, a => DockerImage.FromBuild(DirectoryPath, BuildOptions(a)));
}
