using Shared.Contract.Settings;

namespace Shared.Contract.Tests.Settings;

public sealed class SettingsReaderTests
{
    private static SettingsReader Reader(params (string Name, string Value)[] values) =>
        new(new DictionaryEnvironmentVariables(values.ToDictionary(v => v.Name, v => v.Value)));

    private static ConfigurationException Failure(SettingsReader reader) =>
        Assert.Throws<ConfigurationException>(() => reader.ThrowIfInvalid("Invalid settings:"));

    [Fact]
    public void GetString_UnsetBlankOrPadded_DefaultForBlankAndTrimmedOtherwise()
    {
        var reader = Reader(("BLANK", "   "), ("PADDED", "  shop-prod "));

        Assert.Equal("fallback", reader.GetString("UNSET", "fallback"));
        Assert.Equal("fallback", reader.GetString("BLANK", "fallback"));
        Assert.Equal("shop-prod", reader.GetString("PADDED", "fallback"));
        Assert.Null(reader.GetOptional("BLANK"));
        reader.ThrowIfInvalid("unused");
    }

    [Fact]
    public void GetRequired_Unset_RecordsAnErrorSayingWhatItIsFor()
    {
        var reader = Reader();

        Assert.Null(reader.GetRequired("QUEUE_URL", "the SQS queue URL."));

        var error = Assert.Single(Failure(reader).Errors);
        Assert.Equal("QUEUE_URL", error.Setting);
        Assert.Equal("QUEUE_URL is required: the SQS queue URL.", error.Message);
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData(" 7 ", 7)]
    [InlineData("-3", -3)]
    public void GetInt64_WholeNumberInRange_IsRead(string text, long expected)
    {
        Assert.Equal(expected, Reader(("N", text)).GetInt64("N", 0, -10, 100));
    }

    [Theory]
    [InlineData("five", "N='five' is not a whole number: it must be between 1 and 100.")]
    [InlineData("1.5", "N='1.5' is not a whole number: it must be between 1 and 100.")]
    [InlineData("101", "N='101' is out of range: it must be between 1 and 100.")]
    [InlineData("0", "N='0' is out of range: it must be between 1 and 100.")]
    [InlineData("99999999999999999999", "N='99999999999999999999' is not a whole number: it must be between 1 and 100.")]
    public void GetInt64_BadValue_RecordsTheSettingTheValueAndTheRangeAndReturnsTheDefault(string text, string expected)
    {
        var reader = Reader(("N", text));

        Assert.Equal(10, reader.GetInt32("N", 10, 1, 100));

        Assert.Equal(expected, Assert.Single(Failure(reader).Errors).Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData(" TRUE ", true)]
    public void GetBool_TrueOrFalseInAnyCase_IsRead(string text, bool expected)
    {
        Assert.Equal(expected, Reader(("B", text)).GetBool("B", !expected));
    }

    [Fact]
    public void GetBool_Yes_RecordsAnError()
    {
        var reader = Reader(("LEADER_ELECTION", "yes"));

        Assert.False(reader.GetBool("LEADER_ELECTION", false));

        Assert.Equal("LEADER_ELECTION='yes' is not true or false.", Assert.Single(Failure(reader).Errors).Message);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("1s", 1000)]
    [InlineData("2", 2000)]
    [InlineData("1.5", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    public void GetDuration_EveryForm_IsRead(string text, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Reader(("D", text)).GetDuration("D", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(2)));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("3h")]
    [InlineData("NaN")]
    [InlineData("1e400")]
    public void GetDuration_NotADurationOrOutOfRange_RecordsAnErrorAndReturnsTheDefault(string text)
    {
        var reader = Reader(("FLUSH_INTERVAL", text));

        Assert.Equal(TimeSpan.FromSeconds(1), reader.GetDuration("FLUSH_INTERVAL", TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromHours(2)));

        var message = Assert.Single(Failure(reader).Errors).Message;
        Assert.StartsWith($"FLUSH_INTERVAL='{text}' is not a duration", message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetList_CommaSeparated_TrimsAndDropsEmptyEntries()
    {
        var reader = Reader(("NAMESPACES", " default, kube-system ,,"));

        Assert.Equal(["default", "kube-system"], reader.GetList("NAMESPACES"));
        Assert.Empty(reader.GetList("UNSET"));
    }

    [Theory]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/events")]
    [InlineData("http://127.0.0.1:4566/000000000000/events")]
    public void GetHttpUri_AbsoluteHttpOrHttps_IsRead(string text)
    {
        Assert.Equal(new Uri(text), Reader(("QUEUE_URL", text)).GetHttpUri("QUEUE_URL", "an http(s) URL"));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("sqs.eu-west-1.amazonaws.com/123456789012/events")]
    [InlineData("ftp://example.com/q")]
    [InlineData("/relative/path")]
    public void GetHttpUri_NotAnAbsoluteHttpUrl_RecordsWhatWasExpected(string text)
    {
        var reader = Reader(("QUEUE_URL", text));

        Assert.Null(reader.GetHttpUri("QUEUE_URL", "an http(s) URL"));

        Assert.Equal($"QUEUE_URL='{text}' is not an http(s) URL.", Assert.Single(Failure(reader).Errors).Message);
    }

    [Theory]
    [InlineData("ftp://admin:Sup3r-Secret@example.com/q", "ftp://admin:***@example.com/q")]
    [InlineData("http://:Sup3r-Secret@host", "http://:***@host")]
    [InlineData("https://token-Sup3r-Secret@host/path?x=1", "https://***@host/path?x=1")]
    [InlineData("https://host/path?next=a@b", "https://host/path?next=a@b")]
    public void Shown_UrlWithAPassword_MasksThePasswordOnly(string value, string expected)
    {
        // A password after ':' is masked and the user kept; a lone user part may be a token and is masked whole.
        Assert.Equal(expected, SettingsReader.Shown(value));
    }

    [Fact]
    public void Errors_UrlWithAPasswordInAnySetting_NeverQuoteThePassword()
    {
        // Seeded: passwords of every character a URL's user part may hold, percent-escapes included.
        const string Characters = "abcXYZ019-._~!$&'()*+,;=%41";
        var random = new Random(20261202);
        for (var i = 0; i < 200; i++)
        {
            var secret = "S" + new string(Enumerable.Range(0, random.Next(1, 24)).Select(_ => Characters[random.Next(Characters.Length)]).ToArray());
            var url = $"{(i % 2 == 0 ? "gopher" : "https")}://user{i}:{secret}@host.example/q";
            var reader = Reader(("A", url), ("B", url), ("C", url), ("D", url), ("E", url), ("F", url));

            reader.GetHttpUri("A", "an http(s) URL");
            reader.GetInt64("B", 1, 0, 2);
            reader.GetBool("C", false);
            reader.GetChoice("D", "es", [("es", 1)]);
            reader.GetDuration("E", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromHours(1));
            reader.GetIndexPrefix("F", "x");

            var ex = Failure(reader);
            Assert.InRange(ex.Errors.Count, 5, 6);
            Assert.DoesNotContain(secret, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"user{i}:***@host.example", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GetChoice_AnyCase_ReturnsTheChoiceAndUnsetIsTheDefault()
    {
        (string, int)[] choices = [("basic", 1), ("sigv4", 2)];

        Assert.Equal(2, Reader(("AUTH", "SigV4")).GetChoice("AUTH", "basic", choices));
        Assert.Equal(1, Reader().GetChoice("AUTH", "basic", choices));
    }

    [Fact]
    public void GetChoice_Unknown_ListsTheChoicesOrTheirDescription()
    {
        var reader = Reader(("AUTH", "iam"), ("SERVICE", "opensearch"));

        Assert.Equal(1, reader.GetChoice("AUTH", "basic", [("basic", 1), ("sigv4", 2)]));
        Assert.Equal("es", reader.GetChoice("SERVICE", "es", [("es", "es"), ("aoss", "aoss")], "es (domains), aoss (Serverless)"));

        Assert.Equal(
            ["AUTH='iam' is not one of: basic, sigv4.", "SERVICE='opensearch' is not one of: es (domains), aoss (Serverless)."],
            Failure(reader).Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("Upper-Case")]
    [InlineData("_leading")]
    [InlineData("-leading")]
    [InlineData("+leading")]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("a,b")]
    [InlineData("a#b")]
    public void GetIndexPrefix_NotUsableInAnIndexName_RecordsAnErrorAndReturnsTheDefault(string value)
    {
        var reader = Reader(("EVENTS_INDEX", value));

        Assert.Equal("eks-kubernetes-events", reader.GetIndexPrefix("EVENTS_INDEX", "eks-kubernetes-events"));

        var error = Assert.Single(Failure(reader).Errors);
        Assert.Equal("EVENTS_INDEX", error.Setting);
        Assert.StartsWith($"EVENTS_INDEX='{value}' is not a valid index prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetIndexPrefix_LowercaseWithDotsAndDashes_IsRead()
    {
        Assert.Equal("team-a.events_v2", Reader(("EVENTS_INDEX", "team-a.events_v2")).GetIndexPrefix("EVENTS_INDEX", "x"));
    }

    [Fact]
    public void ThrowIfInvalid_SeveralErrorsIncludingACrossSettingRule_ListsEveryOneInOrderUnderTheHeading()
    {
        var reader = Reader(("BATCH", "50"), ("WINDOW", "0"), ("PORT", "http"), ("DEBUG", "maybe"));
        var batch = reader.GetInt32("BATCH", 10, 1, 10_000);
        var window = reader.GetInt32("WINDOW", 5, 0, 300);
        reader.GetInt32("PORT", 8080, 0, 65_535);
        reader.GetBool("DEBUG", false);
        if (batch > 10 && window == 0)
        {
            reader.AddError("WINDOW", $"WINDOW must be at least 1 when BATCH is above 10 (it is {batch}).");
        }

        var ex = Failure(reader);

        Assert.Equal(["PORT", "DEBUG", "WINDOW"], ex.Errors.Select(e => e.Setting));
        Assert.Equal("PORT", ex.Setting);
        Assert.Equal(
            string.Join(Environment.NewLine, "Invalid settings:", "  - PORT='http' is not a whole number: it must be between 0 and 65535.", "  - DEBUG='maybe' is not true or false.", "  - WINDOW must be at least 1 when BATCH is above 10 (it is 50)."),
            ex.Message);
    }

    [Fact]
    public void HasError_OnlyForASettingWithARecordedError()
    {
        var reader = Reader(("FIRST", "x"), ("SECOND", "5"));
        reader.GetInt32("FIRST", 1, 1, 10);
        reader.GetInt32("SECOND", 1, 1, 10);

        Assert.True(reader.HasError("FIRST"));
        Assert.False(reader.HasError("SECOND"));
    }

    [Fact]
    public void Errors_SourceWithItsOwnNamesAndAdvice_NameTheSettingAsTheUserWritesIt()
    {
        var reader = new SettingsReader(new OptionSource(new Dictionary<string, string> { ["window-minutes"] = "1" }));

        reader.GetInt32("window-minutes", 15, 5, 1440);
        reader.AddError("auth", "--auth must be sigv4 with --service aoss.");

        var ex = Failure(reader);
        Assert.Equal(["--window-minutes", "--auth"], ex.Errors.Select(e => e.Setting));
        Assert.Equal("--window-minutes='1' is out of range: it must be between 5 and 1440. (see --help)", ex.Errors[0].Message);
        Assert.Equal("--auth must be sigv4 with --service aoss. (see --help)", ex.Errors[1].Message);
    }

    [Fact]
    public void ConfigurationException_OneSetting_KeepsItsMessageAndNamesIt()
    {
        var ex = new ConfigurationException("/p/password", "SSM parameter /p/password is missing.");

        Assert.Equal("/p/password", ex.Setting);
        Assert.Equal("SSM parameter /p/password is missing.", ex.Message);
        Assert.Equal(new SettingError("/p/password", "SSM parameter /p/password is missing."), Assert.Single(ex.Errors));
    }

    private sealed class OptionSource(Dictionary<string, string> options) : ISettingsSource
    {
        public string? Get(string name) => options.GetValueOrDefault(name);

        public string NameOf(string name) => "--" + name;

        public string Explain(string name, string message) => message + " (see --help)";
    }
}
