using System.Globalization;

namespace Shared.Contract.Indices;

/// <summary>
/// The daily index name, <c>&lt;prefix&gt;-yyyy.MM.dd</c> of a UTC day (docs/contract.md): the name both functions
/// give their indices (EventDocumentBuilder, ControlPlaneDocumentBuilder), and the day read back out of it (the
/// setup's expiry of Serverless indices). Only an exact match counts, so
/// <c>eks-kubernetes-events-b-2026.01.01</c> (another stack's prefix) is not an index of <c>eks-kubernetes-events</c>.
/// </summary>
public static class DailyIndex
{
    /// <summary>The date part of a daily index name.</summary>
    public const string DateFormat = "yyyy.MM.dd";

    /// <summary>The index of <paramref name="prefix"/> for the UTC day <paramref name="utcDay"/>.</summary>
    public static string Name(string prefix, DateOnly utcDay) =>
        string.Concat(prefix, "-", utcDay.ToString(DateFormat, CultureInfo.InvariantCulture));

    /// <summary>The day of <paramref name="indexName"/> when it is <c>&lt;prefix&gt;-yyyy.MM.dd</c>, else null.</summary>
    public static DateOnly? DayOf(string indexName, string prefix)
    {
        ArgumentNullException.ThrowIfNull(indexName);
        ArgumentNullException.ThrowIfNull(prefix);
        var start = prefix.Length + 1;
        if (indexName.Length != start + DateFormat.Length
            || !indexName.StartsWith(prefix, StringComparison.Ordinal)
            || indexName[prefix.Length] != '-')
        {
            return null;
        }

        return DateOnly.TryParseExact(indexName.AsSpan(start), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }
}
