namespace Infra.Constructs;

/// <summary>Inputs of <see cref="EventQueue"/>.</summary>
public sealed class EventQueueProps
{
    /// <summary>Visibility timeout: at least six times the indexer's timeout (see PipelineSettings).</summary>
    public required int VisibilityTimeoutSeconds { get; init; }

    /// <summary>The queue's name, known before deploy so that the collector manifest can carry its URL.</summary>
    public required string QueueName { get; init; }

    /// <summary>How long the queue keeps a message, in hours (at least the outage hold window and a day).</summary>
    public required int RetentionHours { get; init; }
}
