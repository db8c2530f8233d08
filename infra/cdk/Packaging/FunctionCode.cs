using System.Collections.Concurrent;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Infra.Settings;

namespace Infra.Packaging;

/// <summary>
/// Where a function's code comes from. By default the synth publishes the Native AOT bootstrap itself, on
/// this machine or in the build container as <see cref="BuildPlanner"/> decides; with the context key
/// prebuiltFunctionsDir it takes <c>&lt;dir&gt;/&lt;Project&gt;/bootstrap</c> as published elsewhere (CI,
/// SAM users, tests).
/// </summary>
public static class FunctionCode
{
    private static readonly Lazy<IBuildHost> Host = new(() => new ProcessBuildHost(RepositoryLayout.Root));
    private static readonly ConcurrentDictionary<TargetArchitecture, BuildPlan> Plans = new();

    /// <summary>The code of the function built from src/<paramref name="projectName"/> for the stack of <paramref name="scope"/>.</summary>
    public static Code For(Construct scope, string projectName, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(settings);
        var architecture = settings.Architecture;
        if (settings.PrebuiltFunctionsDir is not null)
        {
            return Prebuilt(settings.PrebuiltFunctionsDir, projectName, architecture);
        }

        var command = new PublishCommand(projectName, architecture);
        var place = BuildPlace.Local;
        var image = FunctionBundling.LocalOnlyImage;
        // `cdk ls` and the in-process tests skip bundling (aws:cdk:bundling-stacks): then nothing is probed
        // and no image is built, so they work on any machine.
        if (Stack.Of(scope).BundlingRequired)
        {
            var plan = Plans.GetOrAdd(architecture, a => BuildPlanner.Choose(Host.Value, a));
            var where = plan.Place == BuildPlace.Local ? "on this machine" : $"in the {architecture.DockerPlatform} build container";
            Console.Error.WriteLine($"{projectName} ({architecture.Name}): building {where}: {plan.Reason}.");
            place = plan.Place;
            if (place == BuildPlace.Container)
            {
                image = AotBuildImage.For(architecture);
            }
        }

        return Code.FromAsset(RepositoryLayout.Root, new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            // The hash covers what the publish reads (plus, as CDK adds, the bundling options), not the
            // whole repository the container mounts.
            AssetHashType = AssetHashType.CUSTOM,
            AssetHash = SourceFingerprint.Of(RepositoryLayout.Root, projectName),
            Bundling = FunctionBundling.Options(command, place, image, new DotnetPublishBundling(command, RepositoryLayout.Root)),
        });
    }

    private static AssetCode Prebuilt(string prebuiltDirectory, string projectName, TargetArchitecture architecture)
    {
        var directory = Path.GetFullPath(Path.Combine(prebuiltDirectory, projectName));
        var bootstrap = Path.Combine(directory, "bootstrap");
        var publish = $"`dotnet publish src/{projectName} -c Release -r {architecture.RuntimeIdentifier} -p:DebugType=none -o {directory}`";
        if (!File.Exists(bootstrap))
        {
            throw CdkContextSource.Fault(PipelineSettings.Keys.PrebuiltFunctionsDir, $"{directory} has no bootstrap; publish it with {publish} (architecture={architecture.Name}).");
        }

        // A bootstrap for the other architecture, or linked against a newer glibc, deploys and then fails
        // at its first invocation: refuse it here.
        var problem = BootstrapCheck.Problem(File.ReadAllBytes(bootstrap), architecture);
        if (problem is not null)
        {
            throw CdkContextSource.Fault(PipelineSettings.Keys.PrebuiltFunctionsDir, $"{bootstrap} {problem}; publish it with {publish} on Amazon Linux 2023 or an older glibc (architecture={architecture.Name}).");
        }

        return Code.FromAsset(directory);
    }
}
