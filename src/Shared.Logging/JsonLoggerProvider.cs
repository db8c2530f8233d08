using Microsoft.Extensions.Logging;

namespace Shared.Logging;

/// <summary>Creates <see cref="JsonLogger"/>s that share one output.</summary>
public sealed class JsonLoggerProvider(LineWriter output, LogLevel minimumLevel, TimeProvider time) : ILoggerProvider
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new JsonLogger(categoryName, output, minimumLevel, time);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
