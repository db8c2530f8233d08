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

        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(outputDir);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(outputDir, "bootstrap")))
        {
            // No Docker fallback: the provided.al2023 build image has no .NET SDK, so failing loudly with
            // the publish output is the useful answer.
            throw new InvalidOperationException(
                $"`dotnet {string.Join(' ', PublishArguments)} -o {outputDir}` failed (exit {process.ExitCode}) or wrote no bootstrap:\n{stdout.Result}\n{stderr.Result}");
        }

        return true;
    }
}
