using System.Diagnostics;

namespace TestSupport.Processes;

/// <summary>
/// The Native AOT <c>bootstrap</c> of a function, published the way users publish it
/// (<c>dotnet publish src/&lt;Function&gt; -c Release -r linux-x64</c>) into artifacts/publish/&lt;Function&gt;.
/// The test script publishes before the tests run; when the executable is missing or older than the
/// sources, the first test that needs it publishes it (under a file lock, since test assemblies run
/// in parallel processes).
/// </summary>
public static class PublishedFunction
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Path of the function's bootstrap, publishing it first if needed.</summary>
    public static Task<string> EnsureAsync(string function) => EnsureAsync(function, "bootstrap");

    /// <summary>Path of the Native AOT executable <paramref name="executable"/> of src/<paramref name="function"/> (a function or the collector), publishing it first if needed.</summary>
    public static async Task<string> EnsureAsync(string function, string executable)
    {
        var root = RepositoryRoot.Path;
        var output = Path.Combine(root, "artifacts", "publish", function);
        var bootstrap = Path.Combine(output, executable);
        await Gate.WaitAsync();
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "artifacts"));
            using var lockFile = await AcquireFileLockAsync(Path.Combine(root, "artifacts", $".publish-{function}.lock"));
            if (IsFresh(bootstrap, root, function))
            {
                return bootstrap;
            }

            var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "src", function), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = root,
            };
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0 || !File.Exists(bootstrap))
            {
                throw new InvalidOperationException($"dotnet publish of {function} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }

            return bootstrap;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool IsFresh(string bootstrap, string root, string function)
    {
        if (!File.Exists(bootstrap))
        {
            return false;
        }

        var built = File.GetLastWriteTimeUtc(bootstrap);
        return ProjectDirectories(Path.Combine(root, "src", function))
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .All(f => File.GetLastWriteTimeUtc(f) <= built);
    }

    /// <summary>The project's folder and those of every project it references, followed through the csproj files.</summary>
    private static IEnumerable<string> ProjectDirectories(string projectDirectory)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectDirectory)]);
        while (pending.TryPop(out var directory))
        {
            if (!seen.Add(directory))
            {
                continue;
            }

            foreach (var project in Directory.EnumerateFiles(directory, "*.csproj"))
            {
                foreach (var reference in System.Xml.Linq.XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
                {
                    var include = reference.Attribute("Include")?.Value;
                    if (!string.IsNullOrWhiteSpace(include))
                    {
                        pending.Push(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(directory, include.Replace('\\', '/'))))!);
                    }
                }
            }
        }

        return seen;
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
