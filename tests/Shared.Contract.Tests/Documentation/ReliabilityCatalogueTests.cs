using System.Text.RegularExpressions;
using TestSupport;

namespace Shared.Contract.Tests.Documentation;

/// <summary>
/// docs/reliability.md promises, row by row, what a user sees on bad input and which test pins it. A row whose test
/// was renamed or removed promises nothing any more, and a count in the README that drifts from the catalogue
/// misleads: these tests keep the page true.
/// </summary>
public sealed partial class ReliabilityCatalogueTests
{
    private static readonly string Catalogue = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "reliability.md"));

    private static readonly Lazy<IReadOnlyList<string>> TestSources = new(() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList());

    [Fact]
    public void Catalogue_EveryTestItNames_IsATestMethodOfThatClass()
    {
        var named = CatalogueRows().SelectMany(row => TestName().Matches(row).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.True(named.Count > 100, $"only {named.Count} test names found: the pattern no longer reads the page");

        var missing = named.Where(name => !Exists(name)).ToList();

        Assert.True(missing.Count == 0, "docs/reliability.md names tests that do not exist:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Catalogue_Rows_AreNumberedOneByOneInPageOrder()
    {
        var numbers = CatalogueRows().Select(row => int.Parse(RowNumber().Match(row).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers);
    }

    [Fact]
    public void Readme_KindsOfBadInput_IsTheCatalogueRowCount()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));

        var stated = KindsOfBadInput().Match(readme);

        Assert.True(stated.Success, "README.md no longer says how many kinds of bad input the catalogue covers");
        Assert.Equal(CatalogueRows().Count, int.Parse(stated.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<string> CatalogueRows() =>
        Catalogue.Split('\n').Where(line => RowNumber().IsMatch(line)).ToList();

    /// <summary>True when a test source defines the class and, in the same file, the method.</summary>
    private static bool Exists(string fullName)
    {
        var parts = fullName.Split('.');
        var (type, method) = (parts[^2], parts[^1]);
        var typePattern = new Regex($@"\b(class|record) {Regex.Escape(type)}\b");
        var methodPattern = new Regex($@"\b{Regex.Escape(method)}\(");
        return TestSources.Value.Any(source => typePattern.IsMatch(source) && methodPattern.IsMatch(source))
            // A row may name a whole test class (a group of cases).
            || TestSources.Value.Any(source => new Regex($@"\b(class|record) {Regex.Escape(method)}\b").IsMatch(source));
    }

    [GeneratedRegex(@"^\| (\d+) \|")]
    private static partial Regex RowNumber();

    // A fully qualified test: Project.Tests.Namespace.Class.Method, or EndToEnd.Tests....
    [GeneratedRegex(@"`((?:[A-Z][A-Za-z0-9]*\.)+Tests\.(?:[A-Za-z0-9_]+\.)+[A-Za-z0-9_]+)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"what happens on (\d+) kinds of bad input")]
    private static partial Regex KindsOfBadInput();
}
