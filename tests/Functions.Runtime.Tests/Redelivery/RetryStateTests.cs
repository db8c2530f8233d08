using Functions.Runtime.Redelivery;

namespace Functions.Runtime.Tests.Redelivery;

public sealed class RetryStateTests
{
    [Fact]
    public void Read_AttributesOfACopy_GiveGenerationAndFirstFailure()
    {
        var state = RetryState.Read("3", "2026-12-01T10:00:00.250Z");

        Assert.Equal(3, state.Generation);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, 250, TimeSpan.Zero), state.FirstFailedAt);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("-1", "yesterday")]
    [InlineData("two", "")]
    [InlineData("99999999999", "2026-13-45T99:00:00Z")]
    public void Read_MissingOrUnreadable_CountsAsAnOriginalMessage(string? generation, string? firstFailedAt)
    {
        var state = RetryState.Read(generation, firstFailedAt);

        Assert.Equal(0, state.Generation);
        Assert.Null(state.FirstFailedAt);
    }

    [Fact]
    public void NextAttributes_OfAnOriginal_AreGenerationOneFailingSinceNow()
    {
        var now = new DateTimeOffset(2026, 12, 4, 8, 30, 0, TimeSpan.FromHours(2));

        var attributes = default(RetryState).NextAttributes(now);

        Assert.Equal(
            [("retryGeneration", "Number", "1"), ("retryFirstFailedAt", "String", "2026-12-04T06:30:00.000Z")],
            attributes.Select(a => (a.Name, a.DataType, a.Value)));
    }

    [Fact]
    public void NextAttributes_OfACopy_KeepTheFirstFailureAndCountOn()
    {
        var state = RetryState.Read("7", "2026-12-01T10:00:00.000Z");

        var attributes = state.NextAttributes(DateTimeOffset.UtcNow);

        Assert.Equal(["8", "2026-12-01T10:00:00.000Z"], attributes.Select(a => a.Value));
        Assert.Equal(state with { Generation = 8 }, RetryState.Read(attributes[0].Value, attributes[1].Value));
    }
}
