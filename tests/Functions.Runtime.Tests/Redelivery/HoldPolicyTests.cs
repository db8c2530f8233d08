using Functions.Runtime.Redelivery;
using Functions.Runtime.Settings;
using Shared.Contract.Settings;
using TestSupport.Settings;

namespace Functions.Runtime.Tests.Redelivery;

public sealed class HoldPolicyTests
{
    [Fact]
    public void DelaySeconds_Defaults_DoubleFromHalfAMinuteUpToSqsFifteenMinutes()
    {
        var policy = FunctionSettingsFrom.HoldPolicy();

        Assert.Equal([30, 60, 120, 240, 480, 900, 900, 900], Enumerable.Range(1, 8).Select(policy.DelaySeconds));
        Assert.Equal(900, policy.DelaySeconds(400)); // no overflow after days of copies
    }

    [Fact]
    public void DelaySeconds_MaxDelayAboveSqsLimit_IsCappedAt900()
    {
        var policy = FunctionSettingsFrom.HoldPolicy() with { FirstDelay = TimeSpan.FromSeconds(600), MaxDelay = TimeSpan.FromHours(1) };

        Assert.Equal(900, policy.DelaySeconds(2));
    }

    [Fact]
    public void Holds_FirstFailureInsideOrPastTheWindow_HoldsOnlyInside()
    {
        var policy = FunctionSettingsFrom.HoldPolicy();
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

        Assert.True(policy.Holds(now, now));
        Assert.True(policy.Holds(now - TimeSpan.FromHours(71.9), now));
        Assert.False(policy.Holds(now - TimeSpan.FromHours(72), now));
        Assert.False(FunctionSettingsFrom.HoldPolicy(("OUTAGE_HOLD_HOURS", "0")).Holds(now, now));
    }

    [Fact]
    public void From_Settings_TakesTheThreeValues()
    {
        var settings = FunctionSettings.Load(new DictionaryEnvironmentVariables(new Dictionary<string, string>
        {
            ["CLUSTER_NAME"] = "c",
            ["OUTAGE_HOLD_HOURS"] = "24",
            ["REQUEUE_DELAY_SECONDS"] = "5",
            ["REQUEUE_MAX_DELAY_SECONDS"] = "60",
        }));

        var policy = HoldPolicy.From(settings);

        Assert.Equal(TimeSpan.FromHours(24), policy.HoldWindow);
        Assert.Equal([5, 10, 20, 40, 60], Enumerable.Range(1, 5).Select(policy.DelaySeconds));
    }
}
