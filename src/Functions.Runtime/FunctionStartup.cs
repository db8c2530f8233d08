using Microsoft.Extensions.Logging;
using Shared.Contract.Settings;
using Shared.Logging;

namespace Functions.Runtime;

/// <summary>
/// What a function's initializer gets to build its handler with. Initialization happens once per
/// process, before the first <c>next</c>: clients, settings and caches made here are reused by every
/// invocation, and a fault here is reported as an init error.
/// </summary>
public sealed class FunctionStartup
{
    /// <summary>The environment the settings come from.</summary>
    public required IEnvironmentVariables Environment { get; init; }

    /// <summary>Loggers writing JSON lines.</summary>
    public required ILoggerFactory LoggerFactory { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>Where Embedded Metric Format lines go (stdout in Lambda, stderr locally).</summary>
    public required LineWriter MetricsOutput { get; init; }
}
