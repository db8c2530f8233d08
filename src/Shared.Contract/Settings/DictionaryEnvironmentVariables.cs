namespace Shared.Contract.Settings;

/// <summary>Environment variables from a dictionary: for tests, benchmarks and local runs; a variable not in it is unset.</summary>
public sealed class DictionaryEnvironmentVariables(IReadOnlyDictionary<string, string> values) : IEnvironmentVariables
{
    /// <inheritdoc />
    public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
}
