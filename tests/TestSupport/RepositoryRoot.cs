namespace TestSupport;

/// <summary>The repository root (the folder holding Functions.sln) and the shared fixtures beside it.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string Path => Root.Value;

    /// <summary>The public fixtures, at ../shared/fixtures from the repository root.</summary>
    public static string Fixtures => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "fixtures"));

    /// <summary>The bytes of a fixture file, without a UTF-8 byte order mark (some public samples carry one).</summary>
    public static byte[] Fixture(string relativePath)
    {
        var bytes = File.ReadAllBytes(System.IO.Path.Combine(Fixtures, relativePath));
        return bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
    }
}
