namespace Infra.Tests;

/// <summary>Paths of the repository and of the shared fixtures beside it, found from the test binaries.</summary>
public static class RepositoryRoot
{
    /// <summary>The folder holding Functions.sln.</summary>
    public static string Path { get; } = Find();

    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The sample collector template of this test project.</summary>
    public static string SampleCollectorTemplate => System.IO.Path.Combine(AppContext.BaseDirectory, "Samples", "collector-sample.yaml");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
