namespace Infra.Settings;

/// <summary>A context value is missing or invalid; the message names the context key and what it accepts.</summary>
public sealed class SettingsException : Exception
{
    /// <summary>Creates the error for one context key.</summary>
    public SettingsException(string key, string problem)
        : base($"CDK context '{key}': {problem} Pass it with `-c {key}=...` or set it in cdk.json. See docs/deploy.md.")
    {
        Key = key;
    }

    /// <summary>The context key at fault.</summary>
    public string Key { get; }
}
