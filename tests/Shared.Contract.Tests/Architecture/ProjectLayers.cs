namespace Shared.Contract.Tests.Architecture;

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
        // The shared layers, each referencing only layers above it; the OpenSearch writer does not know the Lambda runtime.
        ["Shared.Contract"] = Set(),
        ["Shared.Logging"] = Set(),
        ["Shared.Aws"] = Set("Shared.Contract", "Shared.Logging"),
        ["Functions.Runtime"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws"),
        ["Shared.OpenSearch"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws"),

        // The deployables and tools.
        ["Collector"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws"),
        ["IndexerFunction"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws", "Functions.Runtime", "Shared.OpenSearch"),
        ["ControlPlaneLogsFunction"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws", "Functions.Runtime", "Shared.OpenSearch"),
        ["DomainSetup"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws", "Shared.OpenSearch"),
        ["SetupFunction"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws", "Functions.Runtime", "Shared.OpenSearch", "DomainSetup"),
        ["OpenSearchSetup"] = Set("Shared.Contract", "Shared.Logging", "Shared.Aws", "Shared.OpenSearch", "DomainSetup"),
        ["Infra"] = Set("Shared.Contract"),
    };

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
