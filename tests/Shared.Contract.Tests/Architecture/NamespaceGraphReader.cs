using System.Text.RegularExpressions;

namespace Shared.Contract.Tests.Architecture;

/// <summary>
/// Builds the namespace graph of one project from its C# sources: a node per declared namespace, an edge for
/// each <c>using</c> directive naming another of them, and for each qualified name that reaches one
/// (<c>Shared.Aws.SigV4Signer</c>, or <c>Aws.SigV4Signer</c> from a sibling namespace), because a
/// qualified name is as much a dependency as a using directive.
/// </summary>
public static partial class NamespaceGraphReader
{
    /// <summary>Reads every .cs file under <paramref name="projectDirectory"/>, leaving out bin/ and obj/.</summary>
    public static DependencyGraph ReadProject(string projectDirectory)
    {
        var files = Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(Path.GetRelativePath(projectDirectory, path)))
            .Select(File.ReadAllText);
        return Read(files);
    }

    /// <summary>Builds the graph from source texts.</summary>
    public static DependencyGraph Read(IEnumerable<string> sources)
    {
        var files = sources
            .Select(Strip)
            .Select(code => (Namespace: NamespaceDirective().Match(code) is { Success: true } match ? match.Groups[1].Value : null, Code: code))
            .Where(file => file.Namespace is not null)
            .ToList();
        var graph = new DependencyGraph();
        var declared = files.Select(file => file.Namespace!).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in declared)
        {
            graph.AddNode(name);
        }

        foreach (var (own, code) in files)
        {
            foreach (Match match in UsingDirective().Matches(code))
            {
                // using static and alias directives name a type: its namespace is the longest declared prefix.
                var name = match.Groups[1].Value;
                var target = declared
                    .Where(candidate => name == candidate || name.StartsWith(candidate + ".", StringComparison.Ordinal))
                    .MaxBy(candidate => candidate.Length);
                if (target is not null && target != own)
                {
                    graph.AddEdge(own!, target);
                }
            }

            foreach (var target in QualifiedReferences(code, own!, declared).Concat(EnclosingReferences(code, own!, files)))
            {
                if (target != own)
                {
                    graph.AddEdge(own!, target);
                }
            }
        }

        return graph;
    }

    // A qualified name reaches the longest declared namespace it starts with, written in full or relative to one
    // of the file's enclosing namespaces (inside Shared.Aws, Configuration.X is Shared.Contract.Settings.X).
    private static IEnumerable<string> QualifiedReferences(string code, string own, IReadOnlyCollection<string> declared)
    {
        var scopes = new List<string> { string.Empty };
        for (var parent = Parent(own); parent is not null; parent = Parent(parent))
        {
            scopes.Add(parent + ".");
        }

        // The namespace's own declaration and the using directives (counted above) are no qualified references.
        var body = UsingDirective().Replace(NamespaceDirective().Replace(code, " "), " ");
        foreach (Match match in QualifiedName().Matches(body))
        {
            var segments = match.Value.Split('.');
            string? found = null;
            for (var count = segments.Length - 1; count >= 1 && found is null; count--)
            {
                var prefix = string.Join('.', segments.Take(count));
                found = scopes.Select(scope => scope + prefix).FirstOrDefault(name => declared.Contains(name, StringComparer.Ordinal));
            }

            if (found is not null)
            {
                yield return found;
            }
        }
    }

    // A file sees the types of its enclosing namespaces without a using directive: using one of their type names
    // is a dependency on that namespace.
    private static IEnumerable<string> EnclosingReferences(string code, string own, IReadOnlyList<(string? Namespace, string Code)> files)
    {
        for (var parent = Parent(own); parent is not null; parent = Parent(parent))
        {
            var types = files.Where(file => file.Namespace == parent).SelectMany(file => TypeDeclaration().Matches(file.Code).Select(match => match.Groups[1].Value));
            if (types.Any(type => Regex.IsMatch(code, @"(?<![\w.])" + Regex.Escape(type) + @"\b")))
            {
                yield return parent;
            }
        }
    }

    private static string? Parent(string name) => name.LastIndexOf('.') is var dot and > 0 ? name[..dot] : null;

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("node_modules" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("cdk.out" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // Comments and string literals name namespaces without depending on them.
    private static string Strip(string code) => CommentOrString().Replace(code, " ");

    [GeneratedRegex(@"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")]
    private static partial Regex QualifiedName();

    // Types other namespaces can see: a private nested type's name is no dependency of another namespace.
    [GeneratedRegex(@"\b(?:public|internal)\s+(?:(?:static|sealed|abstract|partial|readonly|ref|file)\s+)*(?:class|record|struct|interface|enum)\s+(?:struct\s+|class\s+)?([A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDirective();

    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"'(?:[^'\\\n]|\\.)'|//[^\n]*|/\*.*?\*/|@""(?:[^""]|"""")*""|"""""".*?""""""|""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();
}
