using ControlPlaneLogsFunction.Parsing;

namespace ControlPlaneLogsFunction.Tests.Parsing;

public class KeyValueScannerTests
{
    private static List<(string Key, string Value)> Pairs(string text, out bool atEnd)
    {
        var scanner = new KeyValueScanner(text, new CharScratch());
        var pairs = new List<(string, string)>();
        while (scanner.MoveNext())
        {
            pairs.Add((scanner.Key.ToString(), scanner.Value.ToString()));
        }

        atEnd = scanner.AtEnd;
        return pairs;
    }

    [Fact]
    public void MoveNext_QuotedAndBareValues_ReadsEachPair()
    {
        var pairs = Pairs("time=\"2025-12-24T19:48:32Z\" level=info msg=\"access granted\" groups=\"[]\" method=POST", out var atEnd);

        Assert.True(atEnd);
        Assert.Equal(
            [("time", "2025-12-24T19:48:32Z"), ("level", "info"), ("msg", "access granted"), ("groups", "[]"), ("method", "POST")],
            pairs);
    }

    [Fact]
    public void MoveNext_EscapesInQuotedValue_Unescapes()
    {
        var pairs = Pairs("err=\"say \\\"hi\\\"\\n\\tback\\\\slash \\u00e9\"", out _);

        Assert.Equal("say \"hi\"\n\tback\\slash é", Assert.Single(pairs).Value);
    }

    [Fact]
    public void MoveNext_KlogMultiLineValue_JoinsTheLinesWithoutIndent()
    {
        var pairs = Pairs("item=<\n\tline one\n\tline two\n > next=1", out var atEnd);

        Assert.True(atEnd);
        Assert.Equal([("item", "line one\nline two"), ("next", "1")], pairs);
    }

    [Fact]
    public void MoveNext_JsonValueWithSpaces_KeepsItWhole()
    {
        var pairs = Pairs("owner={\"kind\":\"ReplicaSet\", \"name\":\"a b\"} n=2", out _);

        Assert.Equal([("owner", "{\"kind\":\"ReplicaSet\", \"name\":\"a b\"}"), ("n", "2")], pairs);
    }

    [Fact]
    public void MoveNext_EmptyValues_AreEmptyStrings()
    {
        var pairs = Pairs("zone=\"\" other= last=x", out _);

        Assert.Equal([("zone", string.Empty), ("other", string.Empty), ("last", "x")], pairs);
    }

    [Fact]
    public void MoveNext_FreeTextAfterPairs_StopsWithoutReadingTheText()
    {
        var pairs = Pairs("a=1 this is not a pair b=2", out var atEnd);

        Assert.False(atEnd);
        Assert.Equal([("a", "1")], pairs);
    }

    [Fact]
    public void MoveNext_UnterminatedQuote_IsNotAPair()
    {
        var pairs = Pairs("a=\"open", out var atEnd);

        Assert.Empty(pairs);
        Assert.False(atEnd);
    }
}
