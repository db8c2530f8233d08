using System.Globalization;
using System.Text.Json;
using DomainSetup.Setup;
using SetupFunction.CustomResources;
using Shared.Contract.Settings;

namespace SetupFunction.Handling;

/// <summary>The OpenSearch setup's properties, read from the custom resource (every value a string, as CloudFormation sends them).</summary>
public sealed record SetupProperties
{
    /// <summary>Where the host, user and password parameters are.</summary>
    public required string SsmParameterPrefix { get; init; }

    /// <summary>What to install.</summary>
    public required SetupOptions Options { get; init; }

    /// <summary>Reads the properties; throws <see cref="FormatException"/> naming the property at fault.</summary>
    public static SetupProperties From(IReadOnlyDictionary<string, JsonElement>? properties, bool serverless)
    {
        var prefix = Text(properties, PropertyNames.SsmParameterPrefix);
        if (!OpenSearchParameterPrefix.IsWellFormed(prefix))
        {
            throw new FormatException($"Property {PropertyNames.SsmParameterPrefix}='{prefix}' {OpenSearchParameterPrefix.Rule}.");
        }

        return new SetupProperties
        {
            SsmParameterPrefix = prefix,
            Options = new SetupOptions
            {
                EventsIndex = Text(properties, PropertyNames.EventsIndex),
                ControlPlaneIndex = Text(properties, PropertyNames.ControlPlaneIndex),
                EventsRetentionDays = Days(properties, PropertyNames.EventsRetentionDays),
                ControlPlaneRetentionDays = Days(properties, PropertyNames.ControlPlaneRetentionDays),
                Serverless = serverless,
            },
        };
    }

    /// <summary>A string property; a number or boolean is taken as its text (the schedule's input is plain JSON).</summary>
    public static string Text(IReadOnlyDictionary<string, JsonElement>? properties, string name)
    {
        if (properties is null || !properties.TryGetValue(name, out var value))
        {
            throw new FormatException($"Property {name} is missing.");
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? throw new FormatException($"Property {name} is empty or not a string.") : text.Trim();
    }

    private static int Days(IReadOnlyDictionary<string, JsonElement>? properties, string name)
    {
        var text = Text(properties, name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= SetupOptions.MaxRetentionDays
            ? days
            : throw new FormatException($"Property {name}='{text}' is not a number of days between 1 and {SetupOptions.MaxRetentionDays}.");
    }
}
