namespace Infra.Tests;

/// <summary>Paths in the repository this project's tests read (the root comes from TestSupport).</summary>
public static class RepositoryPaths
{
    /// <summary>A path under the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([TestSupport.RepositoryRoot.Path, .. parts]);

    /// <summary>The sample collector template of this test project.</summary>
    public static string SampleCollectorTemplate => Path.Combine(AppContext.BaseDirectory, "Samples", "collector-sample.yaml");
}
