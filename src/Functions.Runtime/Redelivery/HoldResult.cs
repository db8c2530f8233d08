namespace Functions.Runtime.Redelivery;

/// <summary>What <see cref="OutageHold.HoldAsync"/> did with each candidate.</summary>
/// <param name="Held">Per candidate: true when a copy is on the queue, so the original may be deleted (reported as a success).</param>
/// <param name="Requeued">Copies sent.</param>
/// <param name="PastHoldWindow">Candidates no longer held because their first failure is older than the hold window.</param>
/// <param name="NotRequeued">Candidates that should have been held but whose copy could not be sent.</param>
public sealed record HoldResult(IReadOnlyList<bool> Held, int Requeued, int PastHoldWindow, int NotRequeued);
