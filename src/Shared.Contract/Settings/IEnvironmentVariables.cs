namespace Shared.Contract.Settings;

/// <summary>Read access to environment variables: the seam that lets settings and the runtime loop be tested without a process.</summary>
public interface IEnvironmentVariables
{
    /// <summary>The variable's value, or null when it is not set.</summary>
    string? Get(string name);
}
