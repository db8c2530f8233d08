namespace Infra.Packaging;

/// <summary>
/// Where the app finds the sources it packages. The CDK CLI runs the app from infra/cdk and tests run it
/// from their bin folder, so the root is found by walking up to the solution file, not from a fixed path.
/// </summary>
public static class RepositoryLayout
{
    private const string Marker = "Functions.sln";

    /// <summary>The repository root: the nearest folder above the app (or the working directory) that holds Functions.sln.</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException($"Cannot find {Marker} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; run the CDK app from inside the repository.");

    /// <summary>A path under the repository root, from '/'-separated segments.</summary>
    public static string Path(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, relative));

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
