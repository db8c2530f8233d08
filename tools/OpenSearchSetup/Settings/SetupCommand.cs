namespace OpenSearchSetup.Settings;

/// <summary>What the command line asks for.</summary>
public enum SetupCommand
{
    /// <summary>Install index templates, retention and dashboards (the default).</summary>
    Setup,

    /// <summary>Check every hop of a running pipeline and print one line each.</summary>
    Verify,
}
