using DomainSetup.Serverless;

namespace DomainSetup.Tests.Serverless;

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
            var name = "p-" + day.ToString(DailyIndex.DateFormat, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(day, DailyIndex.DayOf(name, "p"));
        }
    }
}
