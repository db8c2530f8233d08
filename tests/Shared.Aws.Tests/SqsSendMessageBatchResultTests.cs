using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shared.Aws.Tests;

public sealed class SqsSendMessageBatchResultTests
{
    private static readonly List<SqsOutgoingMessage> Batch = new[] { "alpha", "beta", "gamma" }
        .Select(b => new SqsOutgoingMessage(Encoding.UTF8.GetBytes(b), 0, []))
        .ToList();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "SQS reports MD5OfMessageBody.")]
    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(body)));

    private static SqsSendOutcome[] Read(string json) => SqsSendMessageBatchResult.Read(Encoding.UTF8.GetBytes(json), Batch);

    [Fact]
    public void Read_AllAccepted_GivesEachEntryItsNewMessageId()
    {
        var outcomes = Read($$"""{"Successful":[{"Id":"2","MessageId":"m2","MD5OfMessageBody":"{{Md5("gamma")}}"},{"Id":"0","MessageId":"m0","MD5OfMessageBody":"{{Md5("alpha")}}","MD5OfMessageAttributes":"x"},{"Id":"1","MessageId":"m1","MD5OfMessageBody":"{{Md5("beta").ToUpperInvariant()}}"}],"Failed":[]}""");

        Assert.Equal([(true, "m0"), (true, "m1"), (true, "m2")], outcomes.Select(o => (o.Accepted, o.MessageId)));
    }

    [Fact]
    public void Read_FailedWrongMd5AndUnmentioned_AreNotAcceptedWithTheReason()
    {
        var outcomes = Read($$"""{"Successful":[{"Id":"0","MessageId":"m0","MD5OfMessageBody":"{{Md5("not alpha")}}"},{"Id":"7","MessageId":"foreign","MD5OfMessageBody":"{{Md5("beta")}}"}],"Failed":[{"Id":"2","SenderFault":false,"Code":"InternalError","Message":"try again"}]}""");

        Assert.Equal("MD5Mismatch", outcomes[0].Code);
        Assert.Equal("NotConfirmed", outcomes[1].Code); // an id that is not ours confirms nothing
        Assert.Equal(("InternalError", "try again"), (outcomes[2].Code, outcomes[2].Message));
        Assert.All(outcomes, o => Assert.False(o.Accepted));
    }

    [Fact]
    public void Read_EntryBothSuccessfulAndFailed_CountsAsFailed()
    {
        var outcomes = Read($$"""{"Failed":[{"Id":"0","Code":"InvalidMessageContents","Message":"bad","SenderFault":true}],"Successful":[{"Id":"0","MessageId":"m0","MD5OfMessageBody":"{{Md5("alpha")}}"}]}""");

        Assert.False(outcomes[0].Accepted);
        Assert.Equal("InvalidMessageContents", outcomes[0].Code);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"Successful\":{}}")]
    [InlineData("{\"Successful\":[{\"Id\":\"0\"")]
    public void Read_NotTheDocumentedShape_Throws(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json));

    [Fact]
    public void Read_IntoReusedOutcomesWithoutIds_SameVerdictsAndNoIdsEvenAfterAnEarlierBatch()
    {
        var outcomes = new SqsSendOutcome[SqsSendMessageBatchWriter.MaxEntries];
        outcomes.AsSpan().Fill(new SqsSendOutcome(true, "stale", null, null));

        SqsSendMessageBatchResult.Read(Encoding.UTF8.GetBytes($$"""{"Successful":[{"Id":"0","MessageId":"m0","MD5OfMessageBody":"{{Md5("alpha")}}"},{"Id":"1","MessageId":"m1"}],"Failed":[]}"""), Batch, outcomes, readMessageIds: false);

        Assert.Equal(new SqsSendOutcome(true, null, null, null), outcomes[0]);
        Assert.Equal(("MD5Mismatch", false), (outcomes[1].Code, outcomes[1].Accepted)); // confirmed without an MD5: not trusted
        Assert.Equal(("NotConfirmed", false), (outcomes[2].Code, outcomes[2].Accepted));
    }

    [Fact]
    public void Read_OutcomesShorterThanTheBatch_Throws() =>
        Assert.Throws<ArgumentException>(() => SqsSendMessageBatchResult.Read("{}"u8, Batch, new SqsSendOutcome[2], readMessageIds: false));
}
