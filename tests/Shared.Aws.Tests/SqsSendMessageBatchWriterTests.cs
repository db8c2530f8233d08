using System.Text;
using System.Text.Json;

namespace Shared.Aws.Tests;

public sealed class SqsSendMessageBatchWriterTests
{
    private static SqsOutgoingMessage Message(string body, int delay = 0, params SqsMessageAttribute[] attributes) =>
        new(Encoding.UTF8.GetBytes(body), delay, attributes);

    [Fact]
    public void Write_EntriesWithDelayAndAttributes_IsTheDocumentedRequest()
    {
        using var writer = new SqsSendMessageBatchWriter();

        var json = writer.Write("https://sqs.eu-west-1.amazonaws.com/123456789012/q", [
            Message("{\"kind\":\"Event\",\"message\":\"quote \\\" and é\"}", 30, new SqsMessageAttribute("clusterName", "String", "prod"), new SqsMessageAttribute("retryGeneration", "Number", "1")),
            Message("plain"),
        ]);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("https://sqs.eu-west-1.amazonaws.com/123456789012/q", root.GetProperty("QueueUrl").GetString());
        var entries = root.GetProperty("Entries").EnumerateArray().ToList();
        Assert.Equal(["0", "1"], entries.Select(e => e.GetProperty("Id").GetString()));
        Assert.Equal("{\"kind\":\"Event\",\"message\":\"quote \\\" and é\"}", entries[0].GetProperty("MessageBody").GetString());
        Assert.Equal(30, entries[0].GetProperty("DelaySeconds").GetInt32());
        Assert.Equal("Number", entries[0].GetProperty("MessageAttributes").GetProperty("retryGeneration").GetProperty("DataType").GetString());
        Assert.Equal("prod", entries[0].GetProperty("MessageAttributes").GetProperty("clusterName").GetProperty("StringValue").GetString());
        Assert.False(entries[1].TryGetProperty("DelaySeconds", out _));
        Assert.False(entries[1].TryGetProperty("MessageAttributes", out _));
        Assert.Contains("é", Encoding.UTF8.GetString(json.Span), StringComparison.Ordinal); // only what JSON requires is escaped
    }

    [Fact]
    public void Write_SecondBatch_ReusesTheBufferAndForgetsTheFirst()
    {
        using var writer = new SqsSendMessageBatchWriter();
        writer.Write("https://q/1/a", [Message(new string('x', 10_000))]);

        var json = writer.Write("https://q/1/a", [Message("small")]);

        using var document = JsonDocument.Parse(json);
        Assert.Equal("small", Assert.Single(document.RootElement.GetProperty("Entries").EnumerateArray()).GetProperty("MessageBody").GetString());
    }

    [Fact]
    public void Write_InvalidBatches_AreRefusedSayingWhy()
    {
        using var writer = new SqsSendMessageBatchWriter();

        Assert.Contains("1 to 10 entries", Assert.Throws<ArgumentException>(() => writer.Write("https://q/1/a", [])).Message, StringComparison.Ordinal);
        Assert.Contains("not 11", Assert.Throws<ArgumentException>(() => writer.Write("https://q/1/a", Enumerable.Range(0, 11).Select(i => Message("m")).ToList())).Message, StringComparison.Ordinal);
        Assert.Contains("DelaySeconds 901", Assert.Throws<ArgumentException>(() => writer.Write("https://q/1/a", [Message("m", 901)])).Message, StringComparison.Ordinal);
    }
}
