namespace Infra.Packaging;

/// <summary>
/// The functions cannot be built the way things stand on this machine. The message is one line that
/// says what to change; the app prints it instead of a stack trace.
/// </summary>
public sealed class PackagingException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    public PackagingException(string message)
        : base(message)
    {
    }
}
