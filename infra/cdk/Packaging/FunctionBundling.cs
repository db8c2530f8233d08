using Amazon.CDK;

namespace Infra.Packaging;

/// <summary>
/// The CDK bundling options of one function: the container command is the <see cref="PublishCommand"/>,
/// run from the repository root's mount in the image built for the target's platform; local bundling is
/// offered only when the plan is to build on this machine, so CDK runs the container exactly when the
/// plan says so.
/// </summary>
public static class FunctionBundling
{
    /// <summary>
    /// The image named when the plan is a local build (or bundling is skipped): CDK wants an image, and
    /// building the real one would need Docker for nothing. It is never run: local bundling never declines.
    /// </summary>
    public static DockerImage LocalOnlyImage { get; } = DockerImage.FromRegistry("eks-history-local-build-only");

    /// <summary>The options for <paramref name="command"/> built at <paramref name="place"/>.</summary>
    /// <param name="command">What to publish.</param>
    /// <param name="place">Where the plan builds it.</param>
    /// <param name="containerImage">The build image (a container plan), or <see cref="LocalOnlyImage"/>.</param>
    /// <param name="local">The local bundler, offered to CDK for a local plan only.</param>
    public static BundlingOptions Options(PublishCommand command, BuildPlace place, DockerImage containerImage, ILocalBundling local)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new BundlingOptions
        {
            Image = containerImage,
            Local = place == BuildPlace.Local ? local : null,
            Command = [.. command.ContainerCommand],
            WorkingDirectory = PublishCommand.ContainerSourceDirectory,
            // CDK 2.160 does not pass this on to `docker run`: the image, built for this platform by
            // AotBuildImage, is what decides. Kept so the options (and the asset hash) name the platform.
            Platform = command.Architecture.DockerPlatform,
            Environment = PublishCommand.Environment.ToDictionary(pair => pair.Key, pair => pair.Value),
        };
    }
}
