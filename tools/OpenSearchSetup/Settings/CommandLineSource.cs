using Shared.Contract.Settings;

namespace OpenSearchSetup.Settings;

/// <summary>
/// The command's options as a settings source: a name is an option without its dashes (<c>cluster-name</c>); its
/// value is the one given on the command line, else the functions' environment variable it falls back to, if any.
/// Errors name the option (<c>--cluster-name</c>) and, when the value came from the environment, that variable too.
/// </summary>
/// <param name="options">The options given, by name without dashes.</param>
/// <param name="fallbacks">The environment variable each option falls back to.</param>
/// <param name="environment">The process environment.</param>
public sealed class CommandLineSource(
    IReadOnlyDictionary<string, string> options,
    IReadOnlyDictionary<string, string> fallbacks,
    Func<string, string?> environment) : ISettingsSource
{
    /// <summary>The setting a wrong command (the first word, e.g. <c>install</c>) is reported under.</summary>
    public const string Command = "command";

    /// <inheritdoc />
    public string? Get(string name) =>
        options.TryGetValue(name, out var value) ? value : FromEnvironment(name);

    /// <inheritdoc />
    public string NameOf(string name) =>
        name == Command ? Command
        : !options.ContainsKey(name) && FromEnvironment(name) is not null ? $"--{name} (from {fallbacks[name]})"
        : $"--{name}";

    private string? FromEnvironment(string name) =>
        fallbacks.TryGetValue(name, out var variable) && environment(variable) is { Length: > 0 } value ? value : null;
}
