namespace OpenSearchSetup.Settings;

/// <summary>A command-line option is missing or invalid; the message names it.</summary>
public sealed class SetupSettingsException(string option, string problem) : Exception($"{option}: {problem}")
{
    /// <summary>The option at fault.</summary>
    public string Option { get; } = option;
}
