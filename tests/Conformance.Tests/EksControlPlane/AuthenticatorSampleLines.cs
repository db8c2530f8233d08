namespace Conformance.Tests.EksControlPlane;

/// <summary>Real aws-iam-authenticator lines from EKS "authenticator-*" streams (eks/authenticator-lines.txt).</summary>
public static class AuthenticatorSampleLines
{
    /// <summary>Every line of the sample, without its comments.</summary>
    public static IReadOnlyList<string> All() =>
        File.ReadAllLines(PublicSamples.PathOf("eks/authenticator-lines.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
}
