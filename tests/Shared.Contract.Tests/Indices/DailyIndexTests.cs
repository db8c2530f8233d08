using Shared.Contract.Indices;

namespace Shared.Contract.Tests.Indices;

public sealed class DailyIndexTests
{
    [Theory]
    [InlineData("eks-kubernetes-events-2026.12.01", "eks-kubernetes-events", "2026-12-01")]
    [InlineData("a-2024.02.29", "a", "2024-02-29")]
    [InlineData("eks-kubernetes-events-b-2026.12.01", "eks-kubernetes-events", null)]
    [InlineData("eks-kubernetes-events-2026.13.01", "eks-kubernetes-events", null)]
    [InlineData("eks-kubernetes-events-2025.02.29", "eks-kubernetes-events", null)]
    [InlineData("eks-kubernetes-events-2026-12-01", "eks-kubernetes-events", null)]
    [InlineData("eks-kubernetes-events_2026.12.01", "eks-kubernetes-events", null)]
    [InlineData("eks-kubernetes-events-2026.12.01-x", "eks-kubernetes-events", null)]
    [InlineData("eks-kubernetes-events-version-probe", "eks-kubernetes-events", null)]
    [InlineData("other-2026.12.01", "eks-kubernetes-events", null)]
    public void DayOf_IndexName_IsTheDayOnlyForAnExactDailyName(string name, string prefix, string? expected)
    {
        Assert.Equal(expected is null ? null : DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), DailyIndex.DayOf(name, prefix));
    }

    [Fact]
    public void DayOf_EveryDayOfTwoYears_RoundTripsTheFunctionsFormat()
    {
        for (var day = new DateOnly(2027, 1, 1); day < new DateOnly(2029, 1, 1); day = day.AddDays(1))
        {
            Assert.Equal(day, DailyIndex.DayOf(DailyIndex.Name("p", day), "p"));
        }
    }

    [Theory]
    [InlineData("eks-kubernetes-events", "2026-12-01", "eks-kubernetes-events-2026.12.01")]
    [InlineData("a", "2024-02-29", "a-2024.02.29")]
    [InlineData("logs", "0999-01-09", "logs-0999.01.09")]
    public void Name_UtcDay_IsThePrefixDashTheDottedDate(string prefix, string day, string expected)
    {
        Assert.Equal(expected, DailyIndex.Name(prefix, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
