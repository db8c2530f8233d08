namespace DomainSetup.Assets;

/// <summary>Templates and saved objects from a folder: the tool's <c>--assets</c>, to install files edited since the build.</summary>
public sealed class DirectorySetupAssets(string directory) : ISetupAssets
{
    /// <inheritdoc />
    public string Source => directory;

    /// <inheritdoc />
    public SetupAsset Template(string fileName)
    {
        var path = Path.Combine(directory, fileName);
        return File.Exists(path)
            ? new SetupAsset(fileName, File.ReadAllBytes(path))
            : throw new FileNotFoundException($"The index template {fileName} is not in {directory}.", path);
    }

    /// <inheritdoc />
    public IReadOnlyList<SetupAsset> SavedObjects() => Directory.GetFiles(directory, "*.ndjson")
        .Order(StringComparer.Ordinal)
        .Select(path => new SetupAsset(Path.GetFileName(path), File.ReadAllBytes(path)))
        .ToList();
}
