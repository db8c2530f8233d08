namespace Shared.Contract.Tests.Architecture;

/// <summary>
/// The namespace cycles that were there when the layering test came (issue 12), per project, each as its sorted
/// namespaces: the test fails on any other cycle, and on an entry here that is gone, so this list only shrinks.
/// The shared code has none and may get none.
/// </summary>
public static class KnownNamespaceCycles
{
    /// <summary>Project name to its known cycle groups.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string[]>> Groups { get; } = new Dictionary<string, IReadOnlyList<string[]>>(StringComparer.Ordinal)
    {
        // The JSON source-generation contexts register the handlers' types, and the handlers use the contexts.
        ["ControlPlaneLogsFunction"] = [["ControlPlaneLogsFunction.Handling", "ControlPlaneLogsFunction.Serialization"]],
        ["SetupFunction"] = [["SetupFunction.CustomResources", "SetupFunction.Handling", "SetupFunction.Serialization"]],
        ["DomainSetup"] = [["DomainSetup", "DomainSetup.Serverless"]],
        // The filter reads the watcher's event types; the watcher applies the filter.
        ["Collector"] = [["Collector.Filtering", "Collector.Kubernetes"]],
    };
}
