using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Shared.Logging;

/// <summary>
/// Writes one JSON object per log record: timestamp, level, category, event id, the rendered message,
/// the message template's named values as fields, the request id and the exception. CloudWatch Logs
/// Insights can then filter on any of them.
/// </summary>
public sealed class JsonLogger(string category, LineWriter output, LogLevel minimumLevel, TimeProvider time) : ILogger
{
    // Log lines are read by people and CloudWatch, never embedded in HTML: keep '<', '>' and non-ASCII readable.
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", time.GetUtcNow());
            json.WriteString("level", LevelName(logLevel));
            json.WriteString("category", category);
            if (eventId.Id != 0)
            {
                json.WriteNumber("eventId", eventId.Id);
            }

            if (eventId.Name is not null)
            {
                json.WriteString("event", eventId.Name);
            }

            json.WriteString("message", formatter(state, exception));
            if (LogContext.RequestId is { } requestId)
            {
                json.WriteString("requestId", requestId);
            }

            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "{OriginalFormat}")
                    {
                        json.WriteString("template", value?.ToString());
                        continue;
                    }

                    WriteValue(json, key, value);
                }
            }

            if (exception is not null)
            {
                json.WriteStartObject("exception");
                json.WriteString("type", exception.GetType().FullName);
                json.WriteString("message", exception.Message);
                json.WriteString("stackTrace", exception.ToString());
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        output.WriteLine(buffer);
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case string s:
                json.WriteString(key, s);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int i:
                json.WriteNumber(key, i);
                break;
            case long l:
                json.WriteNumber(key, l);
                break;
            case double d:
                json.WriteNumber(key, d);
                break;
            case TimeSpan t:
                json.WriteNumber(key, t.TotalMilliseconds);
                break;
            case DateTimeOffset dto:
                json.WriteString(key, dto);
                break;
            default:
                json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "NONE",
    };
}
