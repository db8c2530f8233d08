namespace OpenSearchSetup.Verify;

/// <summary>
/// Prints one line per check: <c>[ OK ]</c> in green, <c>[FAIL]</c> in red with the reason and the fix, <c>[SKIP]</c>
/// for a check that does not apply or cannot run because an earlier one failed. Colour only on a terminal; the
/// markers are there either way, for logs and scripts.
/// </summary>
public sealed class CheckReport(TextWriter output, bool colour)
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Reset = "\u001b[0m";

    /// <summary>Checks that passed.</summary>
    public int Passed { get; private set; }

    /// <summary>Checks that failed: the command's exit code is 1 when this is not 0.</summary>
    public int Failed { get; private set; }

    /// <summary>Checks skipped.</summary>
    public int Skipped { get; private set; }

    /// <summary>A check that passed.</summary>
    public void Pass(string check, string detail)
    {
        Passed++;
        Write(Green, "[ OK ]", $"{check}: {detail}");
    }

    /// <summary>A check that failed, with why and what to do.</summary>
    public void Fail(string check, string reason, string fix)
    {
        Failed++;
        Write(Red, "[FAIL]", $"{check}: {reason} Fix: {fix}");
    }

    /// <summary>A check that does not apply or could not run.</summary>
    public void Skip(string check, string reason)
    {
        Skipped++;
        Write(Yellow, "[SKIP]", $"{check}: {reason}");
    }

    private void Write(string colourCode, string marker, string text) =>
        output.WriteLine(colour ? $"{colourCode}{marker}{Reset} {text}" : $"{marker} {text}");
}
