using Microsoft.Extensions.Logging;

namespace Shared.Logging;

/// <summary>
/// A logger factory over <see cref="JsonLoggerProvider"/> alone. The functions do not use
/// Microsoft.Extensions.Logging's factory and console provider: those bind options by reflection,
/// which Native AOT cannot keep.
/// </summary>
public sealed class JsonLoggerFactory(JsonLoggerProvider provider) : ILoggerFactory
{
    /// <summary>The level from AWS_LAMBDA_LOG_LEVEL (Lambda's advanced logging control), else Information.</summary>
    public static LogLevel LevelFrom(string? value) => value?.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Critical,
        _ => LogLevel.Information,
    };

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("This factory writes JSON lines through one provider.");

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    /// <inheritdoc />
    public void Dispose() => provider.Dispose();
}
