using System.Globalization;

namespace Shared.Contract.Settings;

/// <summary>
/// The one settings reader of every deployable: typed getters over an <see cref="ISettingsSource"/> that record an
/// error instead of throwing, so that <see cref="ThrowIfInvalid"/> reports every bad setting at once. Each error
/// names the setting as the user writes it and quotes the value it had, with any password in a URL masked. A getter
/// that finds a bad value returns the default, so later rules can run; <see cref="HasError"/> lets a rule that
/// combines settings stay silent about one already reported.
/// </summary>
/// <param name="source">Where the values come from.</param>
public sealed class SettingsReader(ISettingsSource source)
{
    // Characters OpenSearch refuses in an index name, beside upper case and white space.
    private const string ForbiddenIndexCharacters = "\\/*?\"<>|,#:";

    private readonly List<SettingError> _errors = [];

    /// <summary>The errors recorded so far, in the order they were found.</summary>
    public IReadOnlyList<SettingError> Errors => _errors;

    /// <summary>How the user writes <paramref name="name"/>, for messages that name it.</summary>
    public string NameOf(string name) => source.NameOf(name);

    /// <summary>True when an error about <paramref name="name"/> was recorded, so a rule combining it with another should not add a second.</summary>
    public bool HasError(string name)
    {
        var shown = source.NameOf(name);
        return _errors.Exists(e => e.Setting == shown);
    }

    /// <summary>
    /// Records an error about <paramref name="name"/>: <paramref name="message"/> is a sentence naming it (through
    /// <see cref="NameOf"/>), saying what is wrong and how to fix it. For rules the getters do not know, such as one
    /// setting that must be at least 1 when another is above 10.
    /// </summary>
    public void AddError(string name, string message) =>
        _errors.Add(new SettingError(source.NameOf(name), source.Explain(name, message)));

    /// <summary>Throws one <see cref="ConfigurationException"/> listing every error under <paramref name="heading"/>, if any was recorded.</summary>
    /// <exception cref="ConfigurationException">At least one setting is invalid; its errors list them all.</exception>
    public void ThrowIfInvalid(string heading)
    {
        if (_errors.Count > 0)
        {
            throw new ConfigurationException(_errors.ToList(), heading);
        }
    }

    /// <summary>The trimmed value, or null when unset or blank: blank means "use the default" everywhere.</summary>
    public string? GetOptional(string name)
    {
        var value = source.Get(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A string setting, <paramref name="defaultValue"/> when unset or blank.</summary>
    public string GetString(string name, string defaultValue) => GetOptional(name) ?? defaultValue;

    /// <summary>A setting that must be given: null (and an error "<c>NAME</c> is required: <paramref name="purpose"/>") when unset or blank.</summary>
    public string? GetRequired(string name, string purpose)
    {
        var value = GetOptional(name);
        if (value is null)
        {
            AddError(name, $"{NameOf(name)} is required: {purpose}");
        }

        return value;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="defaultValue"/> when unset or invalid.</summary>
    public long GetInt64(string name, long defaultValue, long min, long max)
    {
        var raw = GetOptional(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            AddError(name, $"{NameOf(name)}='{Shown(raw)}' is not a whole number: it must be between {min} and {max}.");
            return defaultValue;
        }

        if (value < min || value > max)
        {
            AddError(name, $"{NameOf(name)}='{value}' is out of range: it must be between {min} and {max}.");
            return defaultValue;
        }

        return value;
    }

    /// <summary>As <see cref="GetInt64"/>, for settings that fit an <see cref="int"/>.</summary>
    public int GetInt32(string name, int defaultValue, int min, int max) => (int)GetInt64(name, defaultValue, min, max);

    /// <summary><c>true</c> or <c>false</c> in any case; <paramref name="defaultValue"/> when unset or invalid.</summary>
    public bool GetBool(string name, bool defaultValue)
    {
        var raw = GetOptional(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!bool.TryParse(raw, out var value))
        {
            AddError(name, $"{NameOf(name)}='{Shown(raw)}' is not true or false.");
            return defaultValue;
        }

        return value;
    }

    /// <summary>
    /// A duration written <c>500ms</c>, <c>1s</c>, <c>2m</c>, <c>1h</c> or as a number of seconds (<c>1.5</c>), within
    /// [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="defaultValue"/> when unset or invalid.
    /// </summary>
    public TimeSpan GetDuration(string name, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var raw = GetOptional(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!TryParseDuration(raw, out var value) || value < min || value > max)
        {
            AddError(name, $"{NameOf(name)}='{Shown(raw)}' is not a duration like '500ms', '1s', '2m' or a number of seconds from {min} to {max}.");
            return defaultValue;
        }

        return value;
    }

    /// <summary>A comma-separated list, entries trimmed and empty ones dropped; empty when unset.</summary>
    public IReadOnlyList<string> GetList(string name) =>
        GetOptional(name)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>
    /// An absolute http or https URL; null when unset, or when invalid (then the error says it is not
    /// <paramref name="expected"/>, e.g. "an http(s) URL" or "a queue URL (https://sqs.&lt;region&gt;.amazonaws.com/&lt;account&gt;/&lt;queue&gt;)").
    /// </summary>
    public Uri? GetHttpUri(string name, string expected)
    {
        var raw = GetOptional(name);
        if (raw is null)
        {
            return null;
        }

        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            AddError(name, $"{NameOf(name)}='{Shown(raw)}' is not {expected}.");
            return null;
        }

        return uri;
    }

    /// <summary>
    /// One of <paramref name="choices"/>, matched without regard to case; the choice named
    /// <paramref name="defaultText"/> when unset or invalid. <paramref name="described"/> replaces the plain list of
    /// choice names in the error, to say what each means.
    /// </summary>
    public T GetChoice<T>(string name, string defaultText, IReadOnlyList<(string Text, T Value)> choices, string? described = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var raw = GetOptional(name) ?? defaultText;
        foreach (var (text, value) in choices)
        {
            if (string.Equals(text, raw, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        AddError(name, $"{NameOf(name)}='{Shown(raw)}' is not one of: {described ?? string.Join(", ", choices.Select(c => c.Text))}.");
        foreach (var (text, value) in choices)
        {
            if (string.Equals(text, defaultText, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw new ArgumentException($"The default '{defaultText}' is not one of the choices.", nameof(defaultText));
    }

    /// <summary>
    /// A name used inside an OpenSearch index name: lowercase, no characters OpenSearch forbids in index names, not
    /// starting with '-', '_' or '+'; <paramref name="defaultValue"/> when unset or invalid.
    /// </summary>
    public string GetIndexPrefix(string name, string defaultValue)
    {
        var value = GetString(name, defaultValue);
        if (value.Any(c => char.IsUpper(c) || char.IsWhiteSpace(c) || ForbiddenIndexCharacters.Contains(c, StringComparison.Ordinal))
            || value.StartsWith('-') || value.StartsWith('_') || value.StartsWith('+'))
        {
            AddError(name, $"{NameOf(name)}='{Shown(value)}' is not a valid index prefix: use lowercase letters, digits, '-', '_' or '.', not starting with '-', '_' or '+'.");
            return defaultValue;
        }

        return value;
    }

    /// <summary>
    /// A value as an error may quote it: the password of a URL (<c>https://user:secret@host</c>), or a user part with no
    /// password (which may be a token), is masked, since such a URL is the one place a setting can carry a secret, and
    /// an error message ends up in logs.
    /// </summary>
    public static string Shown(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return value;
        }

        var authorityStart = scheme + 3;
        var authorityEnd = value.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? value[authorityStart..] : value[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return value;
        }

        // user:password keeps the user; a lone user part may itself be a token, so all of it is masked.
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        var shown = colon >= 0 && colon < at ? authority[..colon] + ":***" : "***";
        return value[..authorityStart] + shown + authority[at..] + (authorityEnd < 0 ? string.Empty : value[authorityEnd..]);
    }

    /// <summary>Parses <c>1s</c>, <c>500ms</c>, <c>2m</c>, <c>1h</c> or a plain number of seconds (<c>1.5</c>); never negative.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var trimmed = text.Trim();
        (string number, double scale) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1.0),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60.0),
            _ when trimmed.EndsWith('h') || trimmed.EndsWith('H') => (trimmed[..^1], 3600.0),
            _ => (trimmed, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || double.IsNaN(amount) || double.IsInfinity(amount))
        {
            return false;
        }

        var seconds = amount * scale;
        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
