using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Infra.Packaging;

/// <summary>
/// The asset hash of a function: exactly what its publish reads. That is the project and every project it
/// references (followed through the csproj files, so a new shared library is never missed), without their
/// bin/ and obj/, the files a project includes from outside its folder (src/DomainSetup builds in the functions'
/// index templates and dashboards/*.ndjson), plus the build files MSBuild and the SDK pick up on the way to the repository root
/// (global.json, Directory.Build.*, Directory.Packages.props, NuGet.config, .editorconfig, which decides
/// analyzer errors). A change anywhere else (docs, tests, the other function) leaves the function alone.
/// Line endings are hashed as LF, so a Windows checkout gives the same hash as a Linux one.
/// </summary>
public static class SourceFingerprint
{
    private static readonly string[] BuildFiles =
        ["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config", ".editorconfig"];

    private static readonly string[] OutputDirectories = ["bin", "obj"];

    /// <summary>The fingerprint of src/<paramref name="projectName"/> and its inputs under <paramref name="repositoryRoot"/>.</summary>
    public static string Of(string repositoryRoot, string projectName)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var project = Path.Combine(root, "src", projectName, $"{projectName}.csproj");
        if (!File.Exists(project))
        {
            throw new FileNotFoundException($"No project {project} to fingerprint.", project);
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var projectFile in ProjectClosure(project))
        {
            var directory = Path.GetDirectoryName(projectFile)!;
            foreach (var file in SourceFiles(directory).Concat(LinkedFiles(projectFile)))
            {
                files.Add(file);
            }

            for (var dir = directory; dir is not null && IsUnder(dir, root); dir = Path.GetDirectoryName(dir))
            {
                foreach (var name in BuildFiles)
                {
                    var candidate = Path.Combine(dir, name);
                    if (File.Exists(candidate))
                    {
                        files.Add(candidate);
                    }
                }
            }
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file).Replace('\\', '/')));
            hash.AppendData([0]);
            var content = File.ReadAllBytes(file);
            hash.AppendData(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace("\r\n", "\n", StringComparison.Ordinal)));
            hash.AppendData([0]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool IsUnder(string directory, string root) =>
        directory == root || directory.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(current).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
            {
                var include = reference.Attribute("Include")?.Value;
                if (!string.IsNullOrWhiteSpace(include))
                {
                    pending.Push(Path.GetFullPath(Path.Combine(directory, include.Replace('\\', '/'))));
                }
            }
        }

        return seen;
    }

    /// <summary>
    /// Items a project includes from outside its folder (<c>Include="../../dashboards/*.ndjson"</c>): a wildcard is
    /// allowed in the file name only, which is how this repository's projects write them.
    /// </summary>
    private static IEnumerable<string> LinkedFiles(string projectFile)
    {
        var directory = Path.GetDirectoryName(projectFile)!;
        var items = XDocument.Load(projectFile).Descendants()
            .Where(e => e.Name.LocalName is "EmbeddedResource" or "None" or "Content" or "Compile")
            .Select(e => e.Attribute("Include")?.Value)
            .Where(include => !string.IsNullOrWhiteSpace(include) && include.StartsWith("..", StringComparison.Ordinal));
        foreach (var include in items)
        {
            var path = Path.GetFullPath(Path.Combine(directory, include!.Replace('\\', '/')));
            var folder = Path.GetDirectoryName(path)!;
            if (Directory.Exists(folder))
            {
                foreach (var file in Directory.EnumerateFiles(folder, Path.GetFileName(path)))
                {
                    yield return file;
                }
            }
        }
    }

    private static IEnumerable<string> SourceFiles(string projectDirectory)
    {
        var pending = new Stack<string>([projectDirectory]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(directory))
            {
                yield return file;
            }

            foreach (var child in Directory.EnumerateDirectories(directory))
            {
                // Build output, wherever a build put it; nothing a publish reads lives there.
                if (Array.IndexOf(OutputDirectories, Path.GetFileName(child)) < 0)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
