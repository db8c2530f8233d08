namespace Shared.Contract.Settings;

/// <summary>
/// One invalid or missing setting: <see cref="Setting"/> as the user writes it (<c>QUEUE_URL</c>, <c>clusterName</c>,
/// <c>--auth</c>) and a <see cref="Message"/> that names it, quotes the value it had (never a secret) and says what
/// it accepts.
/// </summary>
/// <param name="Setting">The environment variable, CDK context key or command-line option at fault.</param>
/// <param name="Message">What is wrong and how to fix it, starting with the setting's name.</param>
public sealed record SettingError(string Setting, string Message);
