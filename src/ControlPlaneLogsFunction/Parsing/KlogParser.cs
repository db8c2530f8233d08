namespace ControlPlaneLogsFunction.Parsing;

/// <summary>
/// Parses the klog header by hand (no regex: this runs for most control-plane lines). The header has no
/// year; <see cref="ResolveTime"/> takes it from the CloudWatch event's timestamp.
/// </summary>
public static class KlogParser
{
    // "I0705 16:59:29.403648 " is 22 chars; a thread id, a "file:line]" and the separator follow.
    private const int MinimumLength = 22 + 1 + 3;

    /// <summary>Parses a klog line; false when the header does not match.</summary>
    public static bool TryParse(ReadOnlySpan<char> line, out KlogLine parsed)
    {
        parsed = default;
        if (line.Length < MinimumLength || line[0] is not ('I' or 'W' or 'E' or 'F'))
        {
            return false;
        }

        if (!TwoDigits(line, 1, out var month) || !TwoDigits(line, 3, out var day) || line[5] != ' '
            || !TwoDigits(line, 6, out var hour) || line[8] != ':' || !TwoDigits(line, 9, out var minute) || line[11] != ':'
            || !TwoDigits(line, 12, out var second) || line[14] != '.' || !Digits(line.Slice(15, 6), out var micros))
        {
            return false;
        }

        if (month is < 1 or > 12 || day is < 1 or > 31 || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var i = 21;
        // klog pads the thread id to 7 columns with spaces.
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        var threadStart = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        if (i == threadStart || i - threadStart > 18 || i == line.Length || line[i] != ' ' || !Digits(line[threadStart..i], out var threadId))
        {
            return false;
        }

        var sourceStart = ++i;
        var close = line[sourceStart..].IndexOfAny(']', ' ', '\n');
        if (close <= 0 || line[sourceStart + close] != ']')
        {
            return false;
        }

        var source = line.Slice(sourceStart, close);
        var colon = source.LastIndexOf(':');
        if (colon <= 0 || colon == source.Length - 1 || source[(colon + 1)..].IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        var messageStart = sourceStart + close + 1;
        if (messageStart < line.Length && line[messageStart] == ' ')
        {
            messageStart++;
        }

        var timeOfDay = new TimeSpan(0, hour, minute, Math.Min(second, 59)) + TimeSpan.FromMicroseconds(micros);
        parsed = new KlogLine(line[0], month, day, timeOfDay, threadId, source, line[messageStart..]);
        return true;
    }

    /// <summary>
    /// The line's full UTC time: of the years around the event's, the one that puts the header's date
    /// closest to the event's timestamp. A line written at 23:59:59 on 31 December and delivered with a
    /// timestamp of 1 January therefore keeps the old year, and the other way round.
    /// </summary>
    public static DateTime ResolveTime(int month, int day, TimeSpan timeOfDay, DateTime eventTimeUtc)
    {
        var best = default(DateTime);
        var bestDistance = TimeSpan.MaxValue;
        for (var year = eventTimeUtc.Year - 1; year <= eventTimeUtc.Year + 1; year++)
        {
            if (year is < 1 or > 9998 || day > DateTime.DaysInMonth(year, month))
            {
                continue; // e.g. 29 February outside a leap year
            }

            var candidate = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) + timeOfDay;
            var distance = (candidate - eventTimeUtc).Duration();
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance == TimeSpan.MaxValue ? eventTimeUtc : best;
    }

    private static bool TwoDigits(ReadOnlySpan<char> s, int at, out int value)
    {
        var a = s[at] - '0';
        var b = s[at + 1] - '0';
        value = (a * 10) + b;
        return (uint)a <= 9 && (uint)b <= 9;
    }

    private static bool Digits(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        foreach (var c in s)
        {
            var d = c - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
