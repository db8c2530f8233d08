using System.Globalization;

namespace EndToEnd.Tests.Pipeline;

/// <summary>
/// The size and time scale of a scenario, from the environment so that the same test runs small in CI
/// and at full size on request (docs/reliability.md):
/// <c>E2E_EVENTS</c> (event changes, 20% of them updates), <c>E2E_PHASE_SECONDS</c> (length of each fault
/// phase: a minute in the issue, a few seconds in CI), <c>E2E_FUNCTION_TIMEOUT_SECONDS</c> (the functions'
/// timeout; the queue's visibility timeout follows the deployed rule, six times it plus the batching window),
/// <c>E2E_PAYLOADS</c> (control-plane deliveries).
/// </summary>
public sealed record ScenarioSize
{
    /// <summary>Event changes made in the Kubernetes API double.</summary>
    public int Events { get; init; } = 4_000;

    /// <summary>Length of each fault phase.</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>The functions' timeout.</summary>
    public TimeSpan FunctionTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The event source mapping's batching window (the deployed 5 s, shortened with the phases).</summary>
    public TimeSpan BatchingWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>CloudWatch Logs deliveries in the control-plane scenario.</summary>
    public int Payloads { get; init; } = 120;

    /// <summary>The queue's visibility timeout: the deployed rule (infra/cdk PipelineSettings).</summary>
    public TimeSpan VisibilityTimeout => (6 * FunctionTimeout) + BatchingWindow;

    /// <summary>Reads the E2E_* variables, keeping the CI defaults for those not set.</summary>
    public static ScenarioSize FromEnvironment()
    {
        var size = new ScenarioSize();
        return size with
        {
            Events = Read("E2E_EVENTS", size.Events),
            Phase = TimeSpan.FromSeconds(Read("E2E_PHASE_SECONDS", (int)size.Phase.TotalSeconds)),
            FunctionTimeout = TimeSpan.FromSeconds(Read("E2E_FUNCTION_TIMEOUT_SECONDS", (int)size.FunctionTimeout.TotalSeconds)),
            Payloads = Read("E2E_PAYLOADS", size.Payloads),
        };
    }

    private static int Read(string name, int fallback)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{name} must be a positive whole number, got '{text}'.");
    }
}
