using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Infra.Packaging;

/// <summary>
/// Probes this machine by looking at PATH and asking the tools themselves: <c>dotnet --version</c> from
/// the repository root (so global.json decides which SDK answers), and <c>docker version</c> for the
/// engine's version, which only a running engine gives (the CLI alone answers with an error). The Docker
/// CLI is the one CDK itself runs: <c>$CDK_DOCKER</c>, or <c>docker</c>. Each probe runs once.
/// </summary>
public sealed class ProcessBuildHost : IBuildHost
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private readonly string _repositoryRoot;
    private readonly Lazy<IReadOnlyList<string>> _missing;
    private readonly Lazy<bool> _docker;

    /// <summary>Creates the probe; nothing runs until asked.</summary>
    public ProcessBuildHost(string repositoryRoot)
    {
        _repositoryRoot = repositoryRoot;
        _missing = new Lazy<IReadOnlyList<string>>(ProbeToolchain);
        _docker = new Lazy<bool>(ProbeDocker);
    }

    /// <inheritdoc />
    public OSPlatform OperatingSystem =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? OSPlatform.Linux
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX
        : RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
        : RuntimeInformation.IsOSPlatform(OSPlatform.FreeBSD) ? OSPlatform.FreeBSD
        : OSPlatform.Create(RuntimeInformation.OSDescription);

    /// <inheritdoc />
    public Architecture Architecture => RuntimeInformation.OSArchitecture;

    /// <inheritdoc />
    public IReadOnlyList<string> MissingToolchain() => _missing.Value;

    /// <inheritdoc />
    public bool DockerEngineAvailable() => _docker.Value;

    private IReadOnlyList<string> ProbeToolchain()
    {
        var missing = new List<string>();
        var sdk = Run(PublishCommand.Executable, ["--version"], _repositoryRoot);
        if (sdk is not (0, var version) || !Version.TryParse(version.Trim().Split('-')[0], out var parsed) || parsed.Major < 10)
        {
            missing.Add(".NET SDK 10 (dotnet)");
        }

        // The Native AOT targets link with clang, or gcc when there is no clang, through ld.bfd, and
        // split the symbols off with objcopy (llvm-objcopy with clang).
        if (!OnPath("clang") && !OnPath("gcc"))
        {
            missing.Add("clang");
        }

        if (!OnPath("ld.bfd") || (!OnPath("objcopy") && !OnPath("llvm-objcopy")))
        {
            missing.Add("binutils (ld.bfd, objcopy)");
        }

        return missing;
    }

    private bool ProbeDocker()
    {
        var docker = Environment.GetEnvironmentVariable("CDK_DOCKER") is { Length: > 0 } custom ? custom : "docker";
        return Run(docker, ["version", "--format", "{{.Server.Version}}"], _repositoryRoot) is (0, { Length: > 0 } server)
            && !string.IsNullOrWhiteSpace(server);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    /// <summary>Exit code and standard output, or null when the program is not there or does not finish in time.</summary>
    private static (int ExitCode, string Output)? Run(string program, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in PublishCommand.Environment)
        {
            start.Environment[name] = value;
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                // A hung engine (Docker Desktop starting) is the same as none for this synth.
                process.Kill(entireProcessTree: true);
                return null;
            }

            return (process.ExitCode, output.Result.Trim());
        }
        catch (Win32Exception)
        {
            // Not installed.
            return null;
        }
    }
}
