namespace Shared.Contract.Settings;

/// <summary>
/// Where <see cref="SettingsReader"/> finds named values: the process environment, a dictionary in tests, CDK
/// context (infra/cdk) or command-line options with environment fallbacks (tools/OpenSearchSetup). Each source also
/// says how a user writes a name, so that every error names the setting the way the user would type it.
/// </summary>
public interface ISettingsSource
{
    /// <summary>The raw value of <paramref name="name"/>, or null when it is not set.</summary>
    string? Get(string name);

    /// <summary>How a user writes <paramref name="name"/> (an environment variable as is, an option as <c>--name</c>).</summary>
    string NameOf(string name) => name;

    /// <summary>
    /// The message a user reads for an error with <paramref name="name"/>: <paramref name="message"/> as it is, or with
    /// how this source takes a value added (CDK context: <c>-c key=...</c> or cdk.json).
    /// </summary>
    string Explain(string name, string message) => message;
}
