namespace SetupFunction.Handling;

/// <summary>Does the OpenSearch work of a setup or retention command: here (<see cref="OpenSearchSetupAction"/>) or in the VPC twin (<see cref="DelegatedSetup"/>).</summary>
public interface IOpenSearchSetup
{
    /// <summary>Runs the command within <paramref name="budget"/>; every way it can end is an outcome, not an exception.</summary>
    Task<ActionOutcome> RunAsync(SetupCommandRequest request, TimeSpan budget, CancellationToken cancellationToken);
}
