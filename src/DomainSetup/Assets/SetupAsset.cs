namespace DomainSetup.Assets;

/// <summary>One file the setup installs: an index template or a dashboards/*.ndjson file of saved objects.</summary>
/// <param name="FileName">The file's name, e.g. <c>kubernetes-events.ndjson</c>.</param>
/// <param name="Content">Its bytes.</param>
public sealed record SetupAsset(string FileName, byte[] Content);
