namespace Infra.Packaging;

/// <summary>Where a function is built, and why there (printed with the bundling output).</summary>
/// <param name="Place">Local or in the build container.</param>
/// <param name="Reason">Why there, in one line a user can check against their machine.</param>
public sealed record BuildPlan(BuildPlace Place, string Reason);
