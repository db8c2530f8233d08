using Functions.Runtime.Settings;
using IndexerFunction.Metrics;
using Shared.Contract.Indices;
using Shared.Contract.Settings;

namespace IndexerFunction.Settings;

/// <summary>The IndexerFunction's settings: the shared ones plus the event index prefix.</summary>
public sealed record IndexerSettings
{
    /// <summary>Default prefix of the event indices.</summary>
    public const string DefaultEventsIndex = IndexPrefixes.KubernetesEvents;

    /// <summary>The settings both functions share.</summary>
    public required FunctionSettings Function { get; init; }

    /// <summary>Prefix of the daily event indices (EVENTS_INDEX).</summary>
    public required string EventsIndex { get; init; }

    /// <summary>The reasons the <c>WarningEvents</c> metric names (WARNING_METRIC_REASONS).</summary>
    public required WarningReasons WarningReasons { get; init; }

    /// <summary>Reads and validates the settings; a bad one is a <see cref="ConfigurationException"/> naming it.</summary>
    public static IndexerSettings Load(IEnvironmentVariables environment) => new()
    {
        Function = FunctionSettings.Load(environment),
        EventsIndex = new SettingsReader(environment).GetIndexPrefix(EnvironmentVariableNames.EventsIndex, DefaultEventsIndex),
        WarningReasons = WarningReasons.Parse(environment.Get(EnvironmentVariableNames.WarningMetricReasons)),
    };
}
