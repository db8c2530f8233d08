namespace Shared.Contract.Settings;

/// <summary>
/// Reads settings from the real environment variables of this process, as Lambda or the pod spec sets them;
/// tests pass their own <see cref="IEnvironmentVariables"/> instead.
/// </summary>
public sealed class ProcessEnvironmentVariables : IEnvironmentVariables
{
    /// <summary>The one instance.</summary>
    public static ProcessEnvironmentVariables Instance { get; } = new();

    private ProcessEnvironmentVariables()
    {
    }

    /// <inheritdoc />
    public string? Get(string name) => Environment.GetEnvironmentVariable(name);
}
