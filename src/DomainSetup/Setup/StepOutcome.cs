namespace DomainSetup.Setup;

/// <summary>How one setup step ended.</summary>
public enum StepOutcome
{
    /// <summary>Installed (or already there, since every step is an idempotent write).</summary>
    Done,

    /// <summary>Not applicable to this target (Serverless has no ISM, no saved-objects import).</summary>
    Skipped,

    /// <summary>Done, but something needs the user's attention.</summary>
    Warning,
}
