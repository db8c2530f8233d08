namespace Shared.Contract.Settings;

/// <summary>
/// Read access to environment variables: the seam that lets settings and the runtime loop be tested without a
/// process. A settings source whose names are written as they are (<c>QUEUE_URL</c>).
/// </summary>
public interface IEnvironmentVariables : ISettingsSource
{
}
