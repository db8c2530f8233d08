using System.Diagnostics;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Infra.Packaging;

/// <summary>
/// Builds a function's Native AOT <c>bootstrap</c> on the machine running the synth, so that
/// <c>cdk deploy</c> is the only command a user types. It runs
/// <c>dotnet publish src/&lt;Function&gt; -c Release -r linux-&lt;arch&gt; -o &lt;asset dir&gt;</c>; AOT needs the
/// native toolchain (clang, zlib) of a Linux host of the same architecture.
/// </summary>
public sealed class DotnetPublishBundling : DeputyBase, ILocalBundling
{
    private readonly string _projectDirectory;
    private readonly string _runtimeIdentifier;

    /// <summary>Creates the bundler for one function project.</summary>
    public DotnetPublishBundling(string projectDirectory, string runtimeIdentifier)
    {
        _projectDirectory = projectDirectory;
        _runtimeIdentifier = runtimeIdentifier;
    }

    /// <summary>The arguments given to <c>dotnet</c>, without the output directory.</summary>
    public IReadOnlyList<string> PublishArguments =>
        ["publish", _projectDirectory, "-c", "Release", "-r", _runtimeIdentifier, "--nologo"];

    /// <inheritdoc />
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in PublishArguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Publish beside the asset, then ship only the executable: the publish folder also holds the
        // stripped symbols (bootstrap.dbg) and pdbs, which would more than double the package.
        var publishDir = Directory.CreateTempSubdirectory("eks-history-publish-").FullName;
        try
        {
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(publishDir);

            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var bootstrap = Path.Combine(publishDir, "bootstrap");
            if (process.ExitCode != 0 || !File.Exists(bootstrap))
            {
                // No Docker fallback: the provided.al2023 build image has no .NET SDK, so failing loudly
                // with the publish output is the useful answer.
                throw new InvalidOperationException(
                    $"`dotnet {string.Join(' ', PublishArguments)} -o {publishDir}` failed (exit {process.ExitCode}) or wrote no bootstrap:\n{stdout.Result}\n{stderr.Result}");
            }

            File.Copy(bootstrap, Path.Combine(outputDir, "bootstrap"), overwrite: true);
            return true;
        }
        finally
        {
            Directory.Delete(publishDir, recursive: true);
        }
    }
}
