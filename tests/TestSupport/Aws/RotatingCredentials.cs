using Amazon.Runtime;

namespace TestSupport.Aws;

/// <summary>
/// AWS credentials whose keys change every time they are asked for (ASIA1/secret-1/token-1, then ASIA2 ...),
/// like a role session that was renewed: a caller that asks on every request signs each one with new keys.
/// </summary>
public sealed class RotatingCredentials : AWSCredentials
{
    private int _calls;

    /// <inheritdoc />
    public override ImmutableCredentials GetCredentials()
    {
        var n = Interlocked.Increment(ref _calls);
        return new ImmutableCredentials($"ASIA{n}", $"secret-{n}", $"token-{n}");
    }
}
