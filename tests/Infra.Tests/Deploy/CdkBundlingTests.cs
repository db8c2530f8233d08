using System.Runtime.InteropServices;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Tests.Deploy;

/// <summary>
/// `cdk synth` as users run it, for the architecture this machine cannot build locally, so the container
/// path is taken. No Docker engine runs here: CDK_DOCKER points CDK (and the app's probe, which honours
/// the same variable) at a stand-in docker CLI that records what it is asked and plays the container's
/// part by writing a stand-in bootstrap. What is checked is what CDK really asks Docker to do.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CdkBundlingTests : IDisposable
{
    private static readonly string CdkDirectory = RepositoryPaths.Combine("infra", "cdk");
    private readonly string _work = Directory.CreateTempSubdirectory("infra-bundling-").FullName;

    private static TargetArchitecture OtherThanThisMachine =>
        TargetArchitecture.All.Single(a => a.ProcessArchitecture != RuntimeInformation.OSArchitecture);

    private string Log => Path.Combine(_work, "docker-calls.log");

    private string Output => Path.Combine(_work, "cdk.out");

    /// <summary>Writes the stand-in docker CLI; <paramref name="engineRunning"/> false answers like a CLI whose engine is down.</summary>
    private string StandInDocker(bool engineRunning)
    {
        var path = Path.Combine(_work, "docker");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            # Stand-in for the docker CLI: no Docker engine runs where the tests run.
            { echo "--- call"; for a in "$@"; do echo "$a"; done; } >> "{{Log}}"
            if [ "{{(engineRunning ? "yes" : "no")}}" != yes ]; then
              echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
              exit 1
            fi
            case "$1" in
              version) echo 28.2.2; exit 0 ;;
              build) exit 0 ;;
              run)
                previous=""
                for a in "$@"; do
                  if [ "$previous" = "-v" ]; then
                    case "$a" in *:/asset-output:*) output="${a%%:/asset-output:*}" ;; esac
                  fi
                  previous="$a"
                done
                printf '#!/bin/sh\necho stand-in\n' > "$output/bootstrap"
                exit 0 ;;
            esac
            exit 1
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private async Task<CommandLine.Result> SynthAsync(string docker, TargetArchitecture architecture)
    {
        var cli = Path.Combine(CdkDirectory, "node_modules", ".bin", "cdk");
        Assert.True(File.Exists(cli), $"{cli} is missing: run `npm ci` in infra/cdk first (the CDK CLI is pinned there).");
        return await CommandLine.RunAsync("/bin/sh",
            ["-c", "cd \"$0\" && exec \"$@\"", CdkDirectory, cli, "synth", "-c", "clusterName=bundling-test", "-c", $"architecture={architecture.Name}",
             "-c", "collectorImage=example.com/collector:1", "--output", Output, "--quiet"],
            new Dictionary<string, string> { ["CDK_DOCKER"] = docker, ["CDK_DISABLE_VERSION_CHECK"] = "1", ["CI"] = "true" });
    }

    private List<string[]> Calls() =>
        File.ReadAllText(Log).Split("--- call\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(call => call.TrimEnd('\n').Split('\n'))
            .ToList();

    [Fact]
    public async Task Synth_OtherArchitectureWithStandInDockerNoEngineHere_BuildsTheImageForItAndPublishesInside()
    {
        var target = OtherThanThisMachine;
        var result = await SynthAsync(StandInDocker(engineRunning: true), target);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"IndexerFunction ({target.Name}): building in the {target.DockerPlatform} build container: this Linux", result.Error, StringComparison.Ordinal);

        var calls = Calls();
        // The engine probe, then one image build for the three functions, then one run per function.
        Assert.Equal(["version", "--format", "{{.Server.Version}}"], calls[0]);
        var build = Assert.Single(calls, c => c[0] == "build");
        Assert.Equal(target.DockerPlatform, build[Array.IndexOf(build, "--platform") + 1]);
        Assert.Equal(AotBuildImage.DirectoryPath, build[^1]);
        var tag = build[Array.IndexOf(build, "-t") + 1];

        var runs = calls.Where(c => c[0] == "run").ToList();
        Assert.Equal(3, runs.Count);
        foreach (var project in new[] { "IndexerFunction", "ControlPlaneLogsFunction", "SetupFunction" })
        {
            var run = Assert.Single(runs, r => r.Contains($"src/{project}"));
            // CDK 2.160 does not pass the bundling platform on to `docker run`: the image built above for the
            // target's platform is what makes the container (emulated, when it is not this machine's) that one.
            Assert.Contains(tag, run);
            Assert.Contains(run, a => a.StartsWith($"{RepositoryPaths.Combine()}:/asset-input:", StringComparison.Ordinal));
            Assert.Equal("/asset-input", run[Array.IndexOf(run, "-w") + 1]);
            // After the image come the command, exactly the local path's publish.
            var command = run[(Array.IndexOf(run, tag) + 1)..];
            Assert.Equal(new PublishCommand(project, target).ContainerCommand, command);
        }

        // CDK staged what the "container" wrote as the functions' code.
        var staged = Directory.GetFiles(Output, "bootstrap", SearchOption.AllDirectories);
        Assert.Equal(3, staged.Length);
    }

    [Fact]
    public async Task Synth_OtherArchitectureWithoutDockerEngine_FailsWithTheOneLineMessage()
    {
        var target = OtherThanThisMachine;
        var result = await SynthAsync(StandInDocker(engineRunning: false), target);
        Assert.NotEqual(0, result.ExitCode);
        var all = result.Output + result.Error;
        var line = Assert.Single(all.Split('\n'), l => l.StartsWith($"Cannot build the {target.Name} functions:", StringComparison.Ordinal));
        Assert.Contains("no Docker engine answers", line, StringComparison.Ordinal);
        Assert.Contains("Start Docker", line, StringComparison.Ordinal);
        Assert.Contains($"Linux {target.Name}", line, StringComparison.Ordinal);
        Assert.Contains("prebuiltFunctionsDir", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Output, "EksHistory.template.json")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
