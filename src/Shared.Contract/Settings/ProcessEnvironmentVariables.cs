namespace Shared.Contract.Settings;

/// <summary>The process environment.</summary>
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
