namespace DomainSetup.Assets;

/// <summary>
/// The templates and saved objects built into this library (DomainSetup.csproj embeds the functions' own template
/// files and dashboards/*.ndjson), so a setup run anywhere, even inside a Lambda function, installs exactly the
/// files of the commit it was built from.
/// </summary>
public sealed class EmbeddedSetupAssets : ISetupAssets
{
    private const string Prefix = "DomainSetup.Assets.";

    private EmbeddedSetupAssets()
    {
    }

    /// <summary>The one instance.</summary>
    public static EmbeddedSetupAssets Instance { get; } = new();

    /// <inheritdoc />
    public string Source => "built into the setup";

    /// <inheritdoc />
    public SetupAsset Template(string fileName) => Read(fileName)
        ?? throw new FileNotFoundException($"The index template {fileName} is not built into the setup.", fileName);

    /// <inheritdoc />
    public IReadOnlyList<SetupAsset> SavedObjects() => typeof(EmbeddedSetupAssets).Assembly.GetManifestResourceNames()
        .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(".ndjson", StringComparison.Ordinal))
        .Select(name => name[Prefix.Length..])
        .Order(StringComparer.Ordinal)
        .Select(fileName => Read(fileName)!)
        .ToList();

    private static SetupAsset? Read(string fileName)
    {
        using var stream = typeof(EmbeddedSetupAssets).Assembly.GetManifestResourceStream(Prefix + fileName);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new SetupAsset(fileName, copy.ToArray());
    }
}
