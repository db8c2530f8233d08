using System.Security.Cryptography;
using System.Text;

namespace Infra.Packaging;

/// <summary>
/// A hash of what the deploy's setup installs: both index templates and every dashboards/*.ndjson file (the files
/// src/DomainSetup builds in). It is a property of the Custom::OpenSearchSetup resource, so a change to any of them
/// makes CloudFormation send an Update and the setup runs again; the index prefixes and retention are properties
/// of their own. Line endings are hashed as LF, so a Windows checkout gives the same hash.
/// </summary>
public static class SetupAssetsFingerprint
{
    /// <summary>The files, relative to the repository root.</summary>
    public static IReadOnlyList<string> Files(string repositoryRoot) =>
    [
        "src/IndexerFunction/OpenSearch/eks-kubernetes-events.template.json",
        "src/ControlPlaneLogsFunction/OpenSearch/eks-control-plane-logs.template.json",
        .. Directory.GetFiles(Path.Combine(repositoryRoot, "dashboards"), "*.ndjson")
            .Select(f => "dashboards/" + Path.GetFileName(f))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The hash (hex) of the files under <paramref name="repositoryRoot"/>.</summary>
    public static string Of(string repositoryRoot)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Files(repositoryRoot))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file));
            hash.AppendData([0]);
            var text = File.ReadAllText(Path.Combine(repositoryRoot, file)).Replace("\r\n", "\n", StringComparison.Ordinal);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
