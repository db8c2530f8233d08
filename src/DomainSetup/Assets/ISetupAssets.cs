namespace DomainSetup.Assets;

/// <summary>Where the index templates and saved objects come from: built into the setup, or a folder (the tool's --assets).</summary>
public interface ISetupAssets
{
    /// <summary>Where the files are, for messages.</summary>
    string Source { get; }

    /// <summary>The index template file of that name, e.g. <c>eks-kubernetes-events.template.json</c>.</summary>
    /// <exception cref="FileNotFoundException">There is no such template.</exception>
    SetupAsset Template(string fileName);

    /// <summary>Every dashboards/*.ndjson file, in file-name order.</summary>
    IReadOnlyList<SetupAsset> SavedObjects();
}
