using System.Collections.Frozen;
using Shared.Contract;
using Shared.Contract.Settings;

namespace IndexerFunction.Metrics;

/// <summary>
/// The reasons the <c>WarningEvents</c> metric names one by one (<see cref="WarningMetric"/>); every other
/// reason counts as <see cref="WarningMetric.Other"/>, so a controller inventing reasons cannot add metrics.
/// </summary>
public sealed class WarningReasons
{
    private readonly FrozenDictionary<string, string> _names;

    /// <summary>Creates a list of reasons.</summary>
    public WarningReasons(IEnumerable<string> reasons)
    {
        Names = reasons.Distinct(StringComparer.Ordinal).ToList();
        _names = Names.ToFrozenDictionary(r => r, r => r, StringComparer.Ordinal);
    }

    /// <summary>The default list (<see cref="WarningMetric.DefaultReasons"/>).</summary>
    public static WarningReasons Default { get; } = new(WarningMetric.DefaultReasons);

    /// <summary>The listed reasons, in order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Reads <c>WARNING_METRIC_REASONS</c> (comma-separated); unset or empty is the default list.</summary>
    /// <exception cref="ConfigurationException">A reason is not a Kubernetes reason name, or there are too many.</exception>
    public static WarningReasons Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        var reasons = WarningMetric.ParseReasons(value, out var problem);
        return problem is null
            ? new WarningReasons(reasons)
            : throw new ConfigurationException(EnvironmentVariableNames.WarningMetricReasons, $"{EnvironmentVariableNames.WarningMetricReasons} {problem}");
    }

    /// <summary>The name an event's <c>reason</c> is counted under: itself when listed, else <see cref="WarningMetric.Other"/>.</summary>
    /// <param name="reason">The <c>reason</c> member's value as the event wrote it (a JSON string, quotes included); anything
    /// else, or nothing, counts as <see cref="WarningMetric.Other"/>.</param>
    public string NameOf(ReadOnlySpan<byte> reason)
    {
        if (reason.Length < 2 || reason[0] != '"')
        {
            return WarningMetric.Other;
        }

        var raw = reason[1..^1];
        if (raw.Length > WarningMetric.MaxReasonChars || raw.Contains((byte)'\\') || !System.Text.Ascii.IsValid(raw))
        {
            return WarningMetric.Other; // escapes and non-ASCII never spell a listed reason
        }

        Span<char> chars = stackalloc char[WarningMetric.MaxReasonChars];
        System.Text.Ascii.ToUtf16(raw, chars, out var written);
        return _names.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars[..written], out var listed) ? listed : WarningMetric.Other;
    }
}
