using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Documents;
using Functions.Runtime.Events.CloudWatchLogs;
using TestSupport.CloudWatchLogs;

namespace ControlPlaneLogsFunction.Tests.Documents;

/// <summary>Builds documents from lines and reads them back as JSON.</summary>
public static class DocumentAssert
{
    /// <summary>The builder every test uses.</summary>
    public static ControlPlaneDocumentBuilder Builder() => new("eks-control-plane-logs", "fallback-cluster");

    /// <summary>Builds the document of one line in a stream.</summary>
    public static (BuiltDocument Built, JsonObject Json) Build(string stream, string message, long timestamp = 1709288130140, string id = "37591012345678901234567890123456789012345678901234567890")
    {
        var payload = new CloudWatchLogsPayload
        {
            MessageType = CloudWatchLogsPayload.DataMessage,
            Owner = "123456789012",
            LogGroup = SubscriptionEvents.LogGroup,
            LogStream = stream,
            LogEvents = [new CloudWatchLogsLogEvent { Id = id, Timestamp = timestamp, Message = message }],
        };
        var output = new List<BuiltDocument>();
        Builder().Build(payload, utf8Repaired: false, output);
        var built = Assert.Single(output);
        return (built, Parse(built.Item.Source));
    }

    /// <summary>Parses a document, failing on invalid JSON or on a duplicate key (which OpenSearch refuses).</summary>
    public static JsonObject Parse(ReadOnlyMemory<byte> source)
    {
        // As deep as OpenSearch's parser reads (the audit writer itself stops at 128).
        var options = new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 1000 };
        using var strict = JsonDocument.Parse(source, options);
        Assert.DoesNotContain((byte)'\n', source.ToArray()); // _bulk needs one line per document
        return JsonNode.Parse(source.Span, documentOptions: options)!.AsObject();
    }

    /// <summary>Asserts that two JSON trees are equal, showing both when they are not.</summary>
    public static void Equal(string expectedJson, JsonNode actual)
    {
        var expected = JsonNode.Parse(expectedJson)!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected:\n{expected.ToJsonString()}\nActual:\n{actual.ToJsonString()}");
    }
}
