using System.Diagnostics;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Infra.Packaging;

/// <summary>
/// Publishes a function's Native AOT <c>bootstrap</c> on the machine running the synth (CDK's local
/// bundling), with the same <see cref="PublishCommand"/> the build container runs. Chosen only where
/// <see cref="BuildPlanner"/> found this machine able to build the target, so it never declines: a failed
/// publish fails the synth with dotnet's output, and a bootstrap Lambda could not start is refused.
/// </summary>
public sealed class DotnetPublishBundling : DeputyBase, ILocalBundling
{
    private readonly string _repositoryRoot;

    /// <summary>Creates the bundler for one function.</summary>
    public DotnetPublishBundling(PublishCommand command, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
        _repositoryRoot = repositoryRoot;
    }

    /// <summary>What it runs.</summary>
    public PublishCommand Command { get; }

    /// <summary>The process it starts for one bundling run.</summary>
    public ProcessStartInfo StartInfo(string scratchDirectory, string outputDirectory)
    {
        var start = new ProcessStartInfo(PublishCommand.Executable)
        {
            WorkingDirectory = _repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Command.Arguments(scratchDirectory, outputDirectory))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in PublishCommand.Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <inheritdoc />
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        var scratch = Directory.CreateTempSubdirectory("eks-history-publish-").FullName;
        try
        {
            var start = StartInfo(scratch, outputDir);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var bootstrap = Path.Combine(outputDir, "bootstrap");
            if (process.ExitCode != 0 || !File.Exists(bootstrap))
            {
                throw new InvalidOperationException(
                    $"`dotnet {string.Join(' ', start.ArgumentList)}` in {_repositoryRoot} failed (exit {process.ExitCode}) or wrote no bootstrap:\n{stdout.Result}\n{stderr.Result}");
            }

            // A machine newer than Amazon Linux 2023 could link against a newer glibc than Lambda has.
            var problem = BootstrapCheck.Problem(File.ReadAllBytes(bootstrap), Command.Architecture);
            if (problem is not null)
            {
                throw new PackagingException(
                    $"The {Command.ProjectName} bootstrap built on this machine {problem}: publish it on Amazon Linux 2023 (or in the build image, docs/deploy.md) and pass -c prebuiltFunctionsDir=<dir>.");
            }

            return true;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
