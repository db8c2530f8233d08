namespace DomainSetup.Setup;

/// <summary>One line of the setup's report.</summary>
/// <param name="Name">What the step installs, e.g. <c>index template eks-kubernetes-events</c>.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">What was done, or why not.</param>
public sealed record SetupStep(string Name, StepOutcome Outcome, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => Outcome switch
    {
        StepOutcome.Skipped => $"{Name}: skipped: {Detail}",
        StepOutcome.Warning => $"{Name}: WARNING: {Detail}",
        _ => $"{Name}: {Detail}",
    };
}
