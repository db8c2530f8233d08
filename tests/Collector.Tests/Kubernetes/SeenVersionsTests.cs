using Collector.Kubernetes;

namespace Collector.Tests.Kubernetes;

public sealed class SeenVersionsTests
{
    [Fact]
    public void TryRecord_SameVersionAgain_IsARepeat()
    {
        var seen = new SeenVersions(100);

        Assert.True(seen.TryRecord("uid-1", "10"));
        Assert.False(seen.TryRecord("uid-1", "10"));
    }

    [Fact]
    public void TryRecord_NewVersionOfSameEvent_IsNew()
    {
        var seen = new SeenVersions(100);
        seen.TryRecord("uid-1", "10");

        Assert.True(seen.TryRecord("uid-1", "11"));
        Assert.False(seen.TryRecord("uid-1", "11"));
    }

    [Fact]
    public void TryRecord_BeyondCapacity_StaysBoundedAndOnlyForgetsOldest()
    {
        var seen = new SeenVersions(100);
        for (var i = 0; i < 1000; i++)
        {
            seen.TryRecord("uid-" + i, "1");
        }

        Assert.True(seen.Count <= 100, $"remembered {seen.Count}");
        Assert.False(seen.TryRecord("uid-999", "1"));
        Assert.True(seen.TryRecord("uid-0", "1"));
    }

    [Fact]
    public void Forget_DeletedEvent_IsNewIfSeenAgain()
    {
        var seen = new SeenVersions(100);
        seen.TryRecord("uid-1", "10");

        seen.Forget("uid-1");

        Assert.True(seen.TryRecord("uid-1", "10"));
    }

    [Fact]
    public void TryRecord_CapacityZero_NeverReportsRepeats()
    {
        var seen = new SeenVersions(0);
        seen.TryRecord("uid-1", "10");

        Assert.True(seen.TryRecord("uid-1", "10"));
    }
}
