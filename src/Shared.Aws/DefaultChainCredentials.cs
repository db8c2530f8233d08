using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Shared.Aws;

/// <summary>
/// The AWS SDK's default credential chain (environment variables — in Lambda, the execution role's keys —,
/// web identity / IRSA, EKS Pod Identity and container credentials, profiles, instance metadata), found on
/// first use rather than at construction.
/// </summary>
/// <remarks>
/// Looking the chain up lazily keeps construction free of network calls (instance metadata may take seconds to
/// time out) and turns "no credentials yet" — a Pod Identity agent that is not answering — into a failed call
/// that its caller retries and reports, instead of a crash at start. The SDK caches the provider it finds, and
/// that provider caches and renews its keys before they expire, so asking on every request is cheap and never
/// signs with expired keys.
/// </remarks>
public sealed class DefaultChainCredentials : AWSCredentials
{
    /// <inheritdoc />
    public override ImmutableCredentials GetCredentials() =>
        DefaultAWSCredentialsIdentityResolver.GetCredentials().GetCredentials();

    /// <inheritdoc />
    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var provider = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync();
        return await provider.GetCredentialsAsync();
    }
}
