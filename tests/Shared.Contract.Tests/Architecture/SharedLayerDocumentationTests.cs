using System.Xml.Linq;
using TestSupport;

namespace Shared.Contract.Tests.Architecture;

public sealed class SharedLayerDocumentationTests
{
    // The projects Directory.Build.props marks IsSharedLayer; TestSupport references all of them, so the
    // build of this test project builds their documentation files first.
    private static readonly string[] SharedLayers = ["Shared.Contract", "Shared.Logging", "Shared.Aws", "Functions.Runtime", "Shared.OpenSearch"];

    public static TheoryData<string> Layers() => new(SharedLayers);

    [Theory]
    [MemberData(nameof(Layers))]
    public void Summaries_OfEachSharedLayer_SayMoreThanTheMemberName(string project)
    {
        var documentation = XDocument.Load(DocumentationFile(project));

        var offenders = documentation.Descendants("member")
            .Select(member => (Id: (string)member.Attribute("name")!, Summary: member.Element("summary")))
            .Where(member => member.Summary is not null && RepeatedNameRule.IsRepetition(member.Id, InnerXml(member.Summary)))
            .Select(member => $"{member.Id}: \"{InnerXml(member.Summary!).Trim()}\"")
            .ToList();

        Assert.True(offenders.Count == 0, $"{project} has {offenders.Count} summaries that only repeat the member's name; say what a caller needs (unit, where the value comes from, what it is for, an example):\n" + string.Join("\n", offenders));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void DocumentationFile_OfEachSharedLayer_DocumentsMembers(string project)
    {
        var documentation = XDocument.Load(DocumentationFile(project));

        Assert.True(documentation.Descendants("member").Count() > 5, $"{DocumentationFile(project)} documents almost nothing: is GenerateDocumentationFile still on for {project}?");
    }

    private static string InnerXml(XElement element) => string.Concat(element.Nodes().Select(node => node.ToString()));

    // The copy next to this test assembly comes from the same build; the project's own output folder of the
    // same configuration is the fallback when a build does not copy related files.
    private static string DocumentationFile(string project)
    {
        var local = Path.Combine(AppContext.BaseDirectory, project + ".xml");
        if (File.Exists(local))
        {
            return local;
        }

        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var built = Path.Combine(RepositoryRoot.Path, "src", project, "bin", output.Parent!.Name, output.Name, project + ".xml");
        Assert.True(File.Exists(built), $"No documentation file for {project} at {local} or {built}: build {project} (GenerateDocumentationFile is on for shared layers).");
        return built;
    }
}
