using System.Globalization;
using System.Text;
using TestSupport;
using Xunit.Abstractions;

namespace EndToEnd.Tests.Pipeline;

/// <summary>The figures a scenario measured, printed to the test output and written to artifacts/e2e/&lt;name&gt;.md.</summary>
public sealed class FigureTable(string name)
{
    private readonly List<(string Figure, string Value)> _rows = [];

    /// <summary>Adds a row.</summary>
    public FigureTable Add(string figure, double value, string format = "N0")
    {
        _rows.Add((figure, value.ToString(format, CultureInfo.InvariantCulture)));
        return this;
    }

    /// <summary>Adds a row with text.</summary>
    public FigureTable Add(string figure, string value)
    {
        _rows.Add((figure, value));
        return this;
    }

    /// <summary>Prints the table and writes it under artifacts/e2e.</summary>
    public void Publish(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = new StringBuilder();
        text.Append("| figure | value |\n|---|---:|\n");
        foreach (var (figure, value) in _rows)
        {
            text.Append("| ").Append(figure).Append(" | ").Append(value).Append(" |\n");
        }

        output.WriteLine(text.ToString());
        var directory = Path.Combine(RepositoryRoot.Path, "artifacts", "e2e");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".md"), text.ToString());
    }
}
