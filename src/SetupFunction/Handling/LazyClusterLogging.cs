namespace SetupFunction.Handling;

/// <summary>Makes the EKS and Logs clients on the first logging request, so the OpenSearch requests never resolve their endpoints.</summary>
public sealed class LazyClusterLogging(Func<IClusterLogging> create) : IClusterLogging
{
    private readonly Lazy<IClusterLogging> _inner = new(create);

    /// <inheritdoc />
    public Task<ActionOutcome> RunAsync(string clusterName, string logGroupName, IReadOnlyList<string> types, CancellationToken cancellationToken) =>
        _inner.Value.RunAsync(clusterName, logGroupName, types, cancellationToken);
}
