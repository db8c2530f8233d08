using System.Runtime.InteropServices;
using Infra.Packaging;
using Infra.Settings;

namespace Infra.Tests.Packaging;

/// <summary>
/// The local path for real: one Native AOT publish on this machine (Linux, with the .NET SDK and the
/// native toolchain, as every machine that runs these tests has), for this machine's own architecture.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DotnetPublishBundlingTests
{
    [Fact]
    public void TryBundle_ThisLinuxMachine_WritesOnlyABootstrapLambdaCanStart()
    {
        Assert.True(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the local path builds on Linux only");
        var architecture = TargetArchitecture.All.Single(a => a.ProcessArchitecture == RuntimeInformation.OSArchitecture);
        var output = Directory.CreateTempSubdirectory("bundle-output-").FullName;
        var started = DateTime.UtcNow;
        try
        {
            var bundling = new DotnetPublishBundling(new PublishCommand("ControlPlaneLogsFunction", architecture), RepositoryPaths.Combine());
            Assert.True(bundling.TryBundle(output, new Amazon.CDK.BundlingOptions { Image = FunctionBundling.LocalOnlyImage }));

            // The Lambda package: the executable alone (no pdb, no .dbg).
            var file = Assert.Single(Directory.GetFileSystemEntries(output));
            Assert.Equal("bootstrap", Path.GetFileName(file));
            var bytes = File.ReadAllBytes(file);
            Assert.Null(BootstrapCheck.Problem(bytes, architecture));
            Assert.InRange(BootstrapCheck.NewestGlibc(bytes)!, new Version(2, 17), BootstrapCheck.LambdaGlibc);
            Assert.True(File.GetUnixFileMode(file).HasFlag(UnixFileMode.UserExecute));

            // The run wrote nothing into the source tree (its bin/ and obj/ went to a scratch directory).
            var written = new[] { "ControlPlaneLogsFunction", "Shared.Contract", "Shared.Logging", "Shared.Aws", "Functions.Runtime", "Shared.OpenSearch" }
                .SelectMany(p => Directory.EnumerateFiles(RepositoryPaths.Combine("src", p), "*", SearchOption.AllDirectories))
                .Where(f => File.GetLastWriteTimeUtc(f) >= started);
            Assert.Empty(written);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void TryBundle_PublishFails_FailsWithDotnetsOutput()
    {
        var output = Directory.CreateTempSubdirectory("bundle-output-").FullName;
        try
        {
            var bundling = new DotnetPublishBundling(new PublishCommand("NoSuchFunction", TargetArchitecture.X86_64), RepositoryPaths.Combine());
            var ex = Assert.Throws<InvalidOperationException>(() => bundling.TryBundle(output, new Amazon.CDK.BundlingOptions { Image = FunctionBundling.LocalOnlyImage }));
            Assert.Contains("dotnet publish src/NoSuchFunction -c Release -r linux-x64", ex.Message, StringComparison.Ordinal);
            Assert.Contains("NoSuchFunction", ex.Message[ex.Message.IndexOf('\n', StringComparison.Ordinal)..], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
