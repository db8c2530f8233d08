namespace Shared.Contract.Settings;

/// <summary>
/// Settings or parameters are missing or invalid: the one exception every deployable (the functions, the collector,
/// the CDK app, the setup tool) throws for it. <see cref="SettingsReader"/> collects every error before throwing, so
/// one failed start lists everything to fix. The runtime loop reports it to Lambda as an init error, so the message
/// names each setting at fault and says what would fix it. It never carries a secret value.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>
    /// Reports <paramref name="setting"/> (an environment variable, SSM parameter, context key or option, e.g.
    /// <c>OPENSEARCH_ENDPOINT</c>) as missing or invalid; <paramref name="message"/> says what is wrong and how to fix it.
    /// </summary>
    public ConfigurationException(string setting, string message)
        : base(message) => Errors = [new SettingError(setting, message)];

    /// <summary>
    /// Reports every error in <paramref name="errors"/> at once: the message is <paramref name="heading"/> followed by
    /// one line per error, in the order they were found.
    /// </summary>
    public ConfigurationException(IReadOnlyList<SettingError> errors, string heading)
        : base(Format(errors, heading)) => Errors = errors;

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
        : base(message, innerException) => Errors = [new SettingError(string.Empty, message)];

    /// <summary>The setting of the first error (as the user writes it), for callers that report one; empty when none is to blame.</summary>
    public string Setting => Errors.Count > 0 ? Errors[0].Setting : string.Empty;

    /// <summary>Every error, each naming its setting: at least one.</summary>
    public IReadOnlyList<SettingError> Errors { get; }

    private static string Format(IReadOnlyList<SettingError> errors, string heading)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(heading);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A configuration error needs at least one setting error.", nameof(errors));
        }

        return heading + string.Concat(errors.Select(e => Environment.NewLine + "  - " + e.Message));
    }
}
