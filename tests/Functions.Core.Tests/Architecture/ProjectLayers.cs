namespace Functions.Core.Tests.Architecture;

/// <summary>
/// The allowed project references of the deployables, the shared code and the tools: the layering rule of
/// docs/indexer.md ("The shared core"). A project absent from this table fails the layering test, so a new
/// one has to be placed in it.
/// </summary>
public static class ProjectLayers
{
    /// <summary>Each project under src/, tools/ and infra/cdk, with the projects it may reference.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Allowed { get; } = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["Functions.Core"] = Set(),
        ["Collector"] = Set("Functions.Core"),
        ["IndexerFunction"] = Set("Functions.Core"),
        ["ControlPlaneLogsFunction"] = Set("Functions.Core"),
        ["DomainSetup"] = Set("Functions.Core"),
        ["SetupFunction"] = Set("Functions.Core", "DomainSetup"),
        ["OpenSearchSetup"] = Set("Functions.Core", "DomainSetup"),
        ["Infra"] = Set(),
    };

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
