using System.Text;
using System.Text.Json;
using Functions.Core.Events.Sqs;
using IndexerFunction.Messages;

namespace IndexerFunction.Tests.Messages;

public sealed class SqsBatchReaderTests
{
    [Fact]
    public void Read_EscapedBodies_AreUnescapedToTheExactBytesSent()
    {
        var bodies = new[] { "{\"message\":\"quote \\\" and \\\\ and\\nnewline\"}", "Pod „café“ 🚀 \u0001", string.Empty };
        var payload = JsonSerializer.SerializeToUtf8Bytes(new SQSEvent
        {
            Records = bodies.Select((b, i) => new SQSEvent.SQSMessage { MessageId = $"m{i}", Body = b }).ToList(),
        });

        var records = new SqsBatchReader().Read(payload);

        Assert.Equal(bodies, records.Select(r => Encoding.UTF8.GetString(r.Body.Span)));
    }

    [Fact]
    public void Read_LongBodiesEscapedAsLambdaSendsThem_AreUnescapedToTheExactBytesSent()
    {
        var body = "{\"schema\":\"eks-events/v1\",\"events\":[" + string.Join(',', Enumerable.Range(0, 200).Select(i => $$"""{"metadata":{"uid":"u-{{i}}"},"message":"a \"quoted\" C:\\path"}""")) + "]}";
        var bodies = new[] { body, body[..^7] + "\\\"", "x\\" };
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new SQSEvent { Records = bodies.Select((b, i) => new SQSEvent.SQSMessage { MessageId = $"m{i}", Body = b }).ToList() },
            new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        var records = new SqsBatchReader().Read(payload);

        Assert.Equal(bodies, records.Select(r => Encoding.UTF8.GetString(r.Body.Span)));
        Assert.All(records, r => Assert.Null(r.BodyProblem));
    }

    [Fact]
    public void Read_BodyFirstLastOrSpacedInItsRecord_ReadsEveryRecordWhole()
    {
        const string payload = """
            { "Records" : [
              { "body" : "first \"one\"", "messageId" : "a", "messageAttributes": { "clusterName": { "dataType": "String", "stringValue": "prod" } } },
              {"messageId":"b","md5OfBody":"x","body":"last\\"},
              {"messageId":"c","body":null,"eventSource":"aws:sqs"}
            ], "extra": 1 }
            """;

        var records = new SqsBatchReader().Read(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(["a", "b", "c"], records.Select(r => r.MessageId));
        Assert.Equal(["first \"one\"", "last\\", string.Empty], records.Select(r => Encoding.UTF8.GetString(r.Body.Span)));
        Assert.Equal("prod", records[0].ClusterNameAttribute);
    }

    [Theory]
    [InlineData("bad \\x escape", "invalid escape \\x")]
    [InlineData("lone \\ud800 surrogate", "invalid \\u escape")]
    public void Read_BodyThatIsNotAValidJsonString_OnlyThatRecordHasAProblem(string invalidBody, string expected)
    {
        var payload = $$"""{"Records":[{"messageId":"a","body":"fine"},{"messageId":"b","body":"{{invalidBody}}"},{"messageId":"c","body":"also \"fine\""}]}""";

        var records = new SqsBatchReader().Read(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(["a", "b", "c"], records.Select(r => r.MessageId));
        Assert.Null(records[0].BodyProblem);
        Assert.Contains(expected, records[1].BodyProblem, StringComparison.Ordinal);
        Assert.Null(records[2].BodyProblem);
        Assert.Equal("also \"fine\"", Encoding.UTF8.GetString(records[2].Body.Span));
    }

    [Fact]
    public void Read_EveryShortEscape_IsUnescaped()
    {
        const string payload = """{"Records":[{"messageId":"m","body":"a\/b\tc\rd\be\ff\\g\"h\ni"}]}""";

        var record = Assert.Single(new SqsBatchReader().Read(Encoding.UTF8.GetBytes(payload)));

        Assert.Equal("a/b\tc\rd\be\ff\\g\"h\ni", Encoding.UTF8.GetString(record.Body.Span));
    }

    [Fact]
    public void Read_ClusterNameAttribute_OnlyAStringAttributeCounts()
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new SQSEvent
        {
            Records =
            [
                new() { MessageId = "a", Body = "{}", MessageAttributes = new() { ["clusterName"] = new() { DataType = "String", StringValue = "prod" } } },
                new() { MessageId = "b", Body = "{}", MessageAttributes = new() { ["clusterName"] = new() { DataType = "Number", StringValue = "42" } } },
                new() { MessageId = "c", Body = "{}", MessageAttributes = new() { ["other"] = new() { DataType = "String", StringValue = "x" } } },
            ],
        });

        var records = new SqsBatchReader().Read(payload);

        Assert.Equal(["prod", null, null], records.Select(r => r.ClusterNameAttribute));
    }

    [Fact]
    public void Read_ReusedForASecondBatch_GivesTheSecondBatchsBodies()
    {
        var reader = new SqsBatchReader();
        reader.Read(JsonSerializer.SerializeToUtf8Bytes(new SQSEvent { Records = [new() { MessageId = "1", Body = "first body, longer" }] }));

        var second = reader.Read(JsonSerializer.SerializeToUtf8Bytes(new SQSEvent { Records = [new() { MessageId = "2", Body = "second" }] }));

        Assert.Equal("second", Encoding.UTF8.GetString(Assert.Single(second).Body.Span));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"Records\":{}}")]
    [InlineData("{\"Records\":[{\"body\":\"x\"}]}")]
    [InlineData("{\"Records\":[{\"messageId\":\"m\",\"body\":\"no end\\\"}]}")]
    public void Read_NotAnSqsEvent_Throws(string payload)
    {
        Assert.ThrowsAny<JsonException>(() => new SqsBatchReader().Read(Encoding.UTF8.GetBytes(payload)));
    }
}
