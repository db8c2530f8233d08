using System.Collections;
using System.Globalization;
using Shared.Contract.Settings;

namespace Infra.Settings;

/// <summary>
/// CDK context as a settings source: values arrive as strings from <c>-c key=value</c> and as JSON values from
/// cdk.json (numbers, booleans, arrays), which are read as the text a user would have typed, an array as a
/// comma-separated list. Every error says how to pass the key.
/// </summary>
/// <param name="context">The context lookup (<c>Node.TryGetContext</c>).</param>
public sealed class CdkContextSource(Func<string, object?> context) : ISettingsSource
{
    /// <inheritdoc />
    public string? Get(string name) => context(name) switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        IEnumerable items => string.Join(",", items.Cast<object?>().Select(i => Convert.ToString(i, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty)),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public string Explain(string name, string message) => Explanation(name, message);

    /// <summary>
    /// A fault found after the settings were read (while building the stack) with the context key
    /// <paramref name="key"/>: the same message an error found by the reader has.
    /// </summary>
    public static ConfigurationException Fault(string key, string problem) => new(key, Explanation(key, problem));

    private static string Explanation(string key, string problem) =>
        $"CDK context '{key}': {problem} Pass it with `-c {key}=...` or set it in cdk.json. See docs/deploy.md.";
}
