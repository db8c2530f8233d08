namespace Shared.Contract.Settings;

/// <summary>
/// A setting or parameter is missing or invalid. The runtime loop reports it to Lambda as an init
/// error, so the message must name the setting at fault and say what would fix it. It must never
/// carry a secret value.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>
    /// Reports <paramref name="setting"/> (an environment variable or SSM parameter name, e.g.
    /// <c>OPENSEARCH_ENDPOINT</c>) as missing or invalid; <paramref name="message"/> says what is wrong and how to fix it.
    /// </summary>
    public ConfigurationException(string setting, string message)
        : base(message) => Setting = setting;

    /// <summary>For serializers and frameworks only: names no setting, so an operator cannot tell what to fix.</summary>
    public ConfigurationException()
        : this(string.Empty, "Invalid configuration.")
    {
    }

    /// <summary>A configuration fault that no single setting is to blame for; <see cref="Setting"/> is empty.</summary>
    public ConfigurationException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>A configuration fault caused by <paramref name="innerException"/> (e.g. an unreadable parameter); <see cref="Setting"/> is empty.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Setting = string.Empty;

    /// <summary>The environment variable or parameter at fault.</summary>
    public string Setting { get; }
}
