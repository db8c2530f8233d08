using TestSupport;

namespace Conformance.Tests;

/// <summary>
/// The public samples these tests check us against: third-party files copied verbatim (AWS's Lambda
/// event samples, OpenSearch's documentation and API specification, the EKS workshop, real EKS
/// control-plane lines), kept outside the repository in <c>../shared/fixtures</c> beside it.
/// </summary>
public static class PublicSamples
{
    /// <summary>The samples folder: <c>../shared/fixtures</c> from the repository root.</summary>
    public static string Folder => Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "fixtures"));

    /// <summary>
    /// The full path of a sample. Without the folder every test fails here, naming it: a conformance run
    /// that checked nothing must not look like one that passed.
    /// </summary>
    public static string PathOf(string relativePath)
    {
        if (!Directory.Exists(Folder))
        {
            throw new DirectoryNotFoundException(
                $"The conformance tests read public sample payloads from {Folder}, which does not exist. " +
                "Put the samples there (README, \"Conformance tests\") or run the README's test command, which leaves these tests out.");
        }

        return Path.Combine(Folder, relativePath);
    }

    /// <summary>The bytes of a sample, without a UTF-8 byte order mark (some public samples carry one).</summary>
    public static byte[] Read(string relativePath)
    {
        var bytes = File.ReadAllBytes(PathOf(relativePath));
        return bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;
    }

    /// <summary>The text of a sample, without a byte order mark.</summary>
    public static string ReadText(string relativePath) => System.Text.Encoding.UTF8.GetString(Read(relativePath));
}
