using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Shared.Logging.Tests;

public sealed partial class JsonLoggerTests
{
    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Document {Id} not stored: {Reason}")]
    private static partial void LogNotStored(ILogger logger, string id, string reason);

    [Fact]
    public void Log_MessageTemplate_WritesOneJsonLineWithNamedValuesAndRequestId()
    {
        using var stream = new MemoryStream();
        var logger = new JsonLogger("Indexer", new LineWriter(stream), LogLevel.Information, TimeProvider.System);
        LogContext.RequestId = "req-77";
        try
        {
            LogNotStored(logger, "uid-1", "mapper_parsing_exception <date>");
        }
        finally
        {
            LogContext.RequestId = null;
        }

        var text = Encoding.UTF8.GetString(stream.ToArray());
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("WARN", root.GetProperty("level").GetString());
        Assert.Equal("Indexer", root.GetProperty("category").GetString());
        Assert.Equal(7, root.GetProperty("eventId").GetInt32());
        Assert.Equal("Document uid-1 not stored: mapper_parsing_exception <date>", root.GetProperty("message").GetString());
        Assert.Equal("Document {Id} not stored: {Reason}", root.GetProperty("template").GetString());
        Assert.Equal("uid-1", root.GetProperty("Id").GetString());
        Assert.Equal("req-77", root.GetProperty("requestId").GetString());
        Assert.Contains("<date>", line, StringComparison.Ordinal); // readable, not \u003C
    }

    [Fact]
    public void Log_BelowMinimumLevel_WritesNothing()
    {
        using var stream = new MemoryStream();
        var logger = new JsonLogger("x", new LineWriter(stream), LogLevel.Warning, TimeProvider.System);

        logger.LogInformation("quiet");

        Assert.Equal(0, stream.Length);
    }
}
