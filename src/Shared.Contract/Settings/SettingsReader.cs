using System.Globalization;

namespace Shared.Contract.Settings;

/// <summary>Reads typed settings from the environment; every error names the variable and the value it had.</summary>
public sealed class SettingsReader(IEnvironmentVariables environment)
{
    /// <summary>A string setting; empty counts as unset.</summary>
    public string GetString(string name, string defaultValue)
    {
        var value = environment.Get(name);
        return string.IsNullOrWhiteSpace(value) ? defaultValue : value.Trim();
    }

    /// <summary>An integer setting within [min, max].</summary>
    public long GetInt64(string name, long defaultValue, long min, long max)
    {
        var raw = environment.Get(name);
        if (string.IsNullOrWhiteSpace(raw))
        {
            return defaultValue;
        }

        if (!long.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ConfigurationException(name, $"{name}='{raw}' is not a whole number.");
        }

        if (value < min || value > max)
        {
            throw new ConfigurationException(name, $"{name}={value} is out of range: it must be between {min} and {max}.");
        }

        return value;
    }

    /// <summary>
    /// A name used inside an OpenSearch index name: lowercase, no characters OpenSearch forbids in index names.
    /// </summary>
    public string GetIndexPrefix(string name, string defaultValue)
    {
        var value = GetString(name, defaultValue);
        if (value.Any(c => char.IsUpper(c) || char.IsWhiteSpace(c) || "\\/*?\"<>|,#:".Contains(c, StringComparison.Ordinal))
            || value.StartsWith('-') || value.StartsWith('_') || value.StartsWith('+'))
        {
            throw new ConfigurationException(name, $"{name}='{value}' is not a valid index prefix: use lowercase letters, digits, '-', '_' or '.', not starting with '-', '_' or '+'.");
        }

        return value;
    }
}
