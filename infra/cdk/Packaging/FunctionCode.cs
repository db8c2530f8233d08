using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Infra.Settings;

namespace Infra.Packaging;

/// <summary>
/// Where a function's code comes from. By default the synth publishes the Native AOT bootstrap itself
/// (<see cref="DotnetPublishBundling"/>); with the context key prebuiltFunctionsDir it takes
/// <c>&lt;dir&gt;/&lt;Project&gt;/bootstrap</c> as published elsewhere (CI, SAM users, tests).
/// </summary>
public static class FunctionCode
{
    // The function sources plus what their build reads; everything a build writes is left out of the
    // fingerprint so that the asset hash changes only when the code does.
    private static readonly string[] SourceExcludes = ["**/bin", "**/obj", "Collector"];

    /// <summary>The code of the function built from src/<paramref name="projectName"/>.</summary>
    public static Code For(string projectName, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PrebuiltFunctionsDir is not null)
        {
            var directory = Path.GetFullPath(Path.Combine(settings.PrebuiltFunctionsDir, projectName));
            if (!File.Exists(Path.Combine(directory, "bootstrap")))
            {
                throw new SettingsException(PipelineSettings.Keys.PrebuiltFunctionsDir, $"{directory} has no bootstrap; publish with `dotnet publish src/{projectName} -c Release -r linux-x64 -o {directory}`.");
            }

            return Code.FromAsset(directory);
        }

        var runtimeIdentifier = settings.Architecture.RuntimeIdentifier;
        return Code.FromAsset(RepositoryLayout.Path("src"), new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            Exclude = SourceExcludes,
            Bundling = new BundlingOptions
            {
                // Used only if local bundling declined; ours never declines (it fails with the reason).
                Image = Runtime.PROVIDED_AL2023.BundlingImage,
                Local = new DotnetPublishBundling(RepositoryLayout.Path($"src/{projectName}"), runtimeIdentifier),
                // Part of the asset hash: switching architecture must produce a new asset.
                Environment = new Dictionary<string, string> { ["RUNTIME_IDENTIFIER"] = runtimeIdentifier, ["PROJECT"] = projectName },
            },
        });
    }
}
