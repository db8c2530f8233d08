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

    /// <summary>Reads <c>WARNING_METRIC_REASONS</c> through <paramref name="reader"/>, recording a problem there; the default list when unset or invalid.</summary>
    public static WarningReasons Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var value = reader.GetOptional(EnvironmentVariableNames.WarningMetricReasons);
        if (value is null)
        {
            return Default;
        }

        var reasons = WarningMetric.ParseReasons(value, out var problem);
        if (problem is not null)
        {
            reader.AddError(EnvironmentVariableNames.WarningMetricReasons, $"{EnvironmentVariableNames.WarningMetricReasons} {problem}");
            return Default;
        }

        return new WarningReasons(reasons);
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
