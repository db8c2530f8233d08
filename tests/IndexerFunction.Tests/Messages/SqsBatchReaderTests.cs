using System.Text;
using System.Text.Json;
using Functions.Runtime.Events.Sqs;
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
    public void Read_HeldCopy_ReadsItsQueueArnAndRetryAttributes()
    {
        // As Lambda delivers a copy the indexer re-queued: the retry attributes next to clusterName, and the queue's ARN.
        const string payload = """
            {"Records":[
              {"messageId":"copy","body":"{}","messageAttributes":{
                 "retryFirstFailedAt":{"stringValue":"2026-12-01T10:00:00.000Z","stringListValues":[],"binaryListValues":[],"dataType":"String"},
                 "clusterName":{"stringValue":"prod","stringListValues":[],"binaryListValues":[],"dataType":"String"},
                 "retryGeneration":{"stringValue":"3","stringListValues":[],"binaryListValues":[],"dataType":"Number"}},
               "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:prod-eks-history-events","awsRegion":"eu-west-1"},
              {"messageId":"original","body":"{}","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:prod-eks-history-events",
               "messageAttributes":{"retryGeneration":{"stringValue":"3","dataType":"String"}}}
            ]}
            """;

        var records = new SqsBatchReader().Read(Encoding.UTF8.GetBytes(payload));

        Assert.Equal("arn:aws:sqs:eu-west-1:123456789012:prod-eks-history-events", records[0].EventSourceArn);
        Assert.Same(records[0].EventSourceArn, records[1].EventSourceArn);
        Assert.Equal(3, records[0].Retry.Generation);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), records[0].Retry.FirstFailedAt);
        Assert.Equal("prod", records[0].ClusterNameAttribute);
        Assert.Equal(0, records[1].Retry.Generation); // a generation that is not a Number attribute is not ours
        Assert.Null(records[1].Retry.FirstFailedAt);
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
