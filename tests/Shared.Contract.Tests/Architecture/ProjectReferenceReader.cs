using System.Xml.Linq;

namespace Shared.Contract.Tests.Architecture;

/// <summary>Reads the projects a csproj references (its ProjectReference items), by project name.</summary>
public static class ProjectReferenceReader
{
    /// <summary>The names (file name without .csproj) of the projects <paramref name="csprojPath"/> references.</summary>
    public static IReadOnlyList<string> Read(string csprojPath) => Parse(File.ReadAllText(csprojPath));

    /// <summary>The referenced project names in a csproj's text.</summary>
    public static IReadOnlyList<string> Parse(string csproj) =>
        [.. XDocument.Parse(csproj).Descendants("ProjectReference")
            .Select(item => (string?)item.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
            .Order(StringComparer.Ordinal)];
}
