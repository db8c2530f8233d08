using Functions.Runtime.Settings;
using Shared.Contract.Indices;
using Shared.Contract.Settings;

namespace ControlPlaneLogsFunction.Settings;

/// <summary>The function's settings (docs/configuration.md), read and validated once at init.</summary>
public sealed record ControlPlaneSettings
{
    /// <summary>Default prefix of the control-plane indices.</summary>
    public const string DefaultIndexPrefix = IndexPrefixes.ControlPlaneLogs;

    /// <summary>The settings both functions share.</summary>
    public required FunctionSettings Shared { get; init; }

    /// <summary>CONTROL_PLANE_INDEX: documents go to <c>{prefix}-yyyy.MM.dd</c>.</summary>
    public required string IndexPrefix { get; init; }

    /// <summary>Reads and validates the settings, the shared ones too, reporting every bad one at once.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names each one.</exception>
    public static ControlPlaneSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var settings = new ControlPlaneSettings
        {
            Shared = FunctionSettings.Read(reader),
            IndexPrefix = reader.GetIndexPrefix(EnvironmentVariableNames.ControlPlaneIndex, DefaultIndexPrefix),
        };
        reader.ThrowIfInvalid(FunctionSettings.ErrorHeading);
        return settings;
    }
}
