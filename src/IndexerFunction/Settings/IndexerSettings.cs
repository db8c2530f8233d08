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

    /// <summary>Reads and validates the settings, the shared ones too, reporting every bad one at once.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names each one.</exception>
    public static IndexerSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var settings = new IndexerSettings
        {
            Function = FunctionSettings.Read(reader),
            EventsIndex = reader.GetIndexPrefix(EnvironmentVariableNames.EventsIndex, DefaultEventsIndex),
            WarningReasons = WarningReasons.Read(reader),
        };
        reader.ThrowIfInvalid(FunctionSettings.ErrorHeading);
        return settings;
    }
}
