namespace Shared.Contract.Settings;

/// <summary>
/// A setting or parameter is missing or invalid. The runtime loop reports it to Lambda as an init
/// error, so the message must name the setting at fault and say what would fix it. It must never
/// carry a secret value.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string setting, string message)
        : base(message) => Setting = setting;

    /// <summary>Creates the exception.</summary>
    public ConfigurationException()
        : this(string.Empty, "Invalid configuration.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    /// <summary>The environment variable or parameter at fault.</summary>
    public string Setting { get; }
}
