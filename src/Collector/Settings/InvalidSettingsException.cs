namespace Collector.Settings;

/// <summary>
/// The environment does not describe a runnable collector. The message lists every bad setting by name
/// with the value it had, so one failed start tells the operator everything to fix.
/// </summary>
public sealed class InvalidSettingsException : Exception
{
    public InvalidSettingsException()
        : this([])
    {
    }

    public InvalidSettingsException(string message)
        : this([message])
    {
    }

    public InvalidSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public InvalidSettingsException(IReadOnlyList<string> errors)
        : base("Invalid collector settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    /// <summary>One line per bad setting, each starting with the variable's name.</summary>
    public IReadOnlyList<string> Errors { get; }
}
