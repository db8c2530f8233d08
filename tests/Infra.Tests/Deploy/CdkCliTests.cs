namespace Infra.Tests.Deploy;

/// <summary>
/// The app as users run it: the CDK CLI pinned in infra/cdk/package.json (installed by `npm ci`) running
/// the command in cdk.json. `cdk ls` synthesizes without bundling, so no Native AOT publish is paid here.
/// </summary>
public sealed class CdkCliTests
{
    private static readonly string CdkDirectory = RepositoryPaths.Combine("infra", "cdk");

    private static async Task<CommandLine.Result> CdkAsync(params string[] arguments)
    {
        var cli = Path.Combine(CdkDirectory, "node_modules", ".bin", "cdk");
        Assert.True(File.Exists(cli), $"{cli} is missing: run `npm ci` in infra/cdk first (the CDK CLI is pinned there).");
        var output = Directory.CreateTempSubdirectory("infra-cli-").FullName;
        try
        {
            // The CLI runs the app in the working directory that holds cdk.json.
            return await CommandLine.RunAsync("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", CdkDirectory, cli, .. arguments, "--output", output],
                new Dictionary<string, string> { ["CDK_DISABLE_VERSION_CHECK"] = "1", ["CI"] = "true" });
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task List_WithClusterName_ListsThePipelineStack()
    {
        var result = await CdkAsync("ls", "-c", "clusterName=cli-test", "-c", "stackName=EksHistoryCli");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("EksHistoryCli", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithoutClusterName_FailsNamingTheKey()
    {
        var result = await CdkAsync("ls");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'clusterName'", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PrebuiltDirectoryWithoutBootstraps_FailsNamingTheKey()
    {
        var result = await CdkAsync("ls", "-c", "clusterName=cli-test", "-c", "prebuiltFunctionsDir=no-such-directory");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'prebuiltFunctionsDir'", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at Infra.", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompileItems_CdkProject_LeaveNodeModulesAndCdkOutAlone()
    {
        // The CLI package under node_modules ships C# template files; compiling them breaks the build.
        var result = await CommandLine.RunAsync("dotnet", ["msbuild", Path.Combine(CdkDirectory, "Infra.csproj"), "-getItem:Compile", "-nologo"]);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        using var items = System.Text.Json.JsonDocument.Parse(result.Output);
        var files = items.RootElement.GetProperty("Items").GetProperty("Compile").EnumerateArray()
            .Select(i => i.GetProperty("FullPath").GetString()!).ToList();
        Assert.Contains(files, f => f.EndsWith("Program.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("node_modules", StringComparison.Ordinal) || f.Contains("cdk.out", StringComparison.Ordinal));
    }
}
