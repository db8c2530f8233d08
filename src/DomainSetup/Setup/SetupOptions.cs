using Shared.Contract.Indices;

namespace DomainSetup.Setup;

/// <summary>What to install: the index prefixes, the retention of each, where Dashboards is, and whether the target is Serverless.</summary>
public sealed record SetupOptions
{
    /// <summary>The indexer's default index prefix (EVENTS_INDEX); the template and dashboard files are named after it.</summary>
    public const string DefaultEventsIndex = IndexPrefixes.KubernetesEvents;

    /// <summary>The control-plane function's default index prefix (CONTROL_PLANE_INDEX).</summary>
    public const string DefaultControlPlaneIndex = IndexPrefixes.ControlPlaneLogs;

    /// <summary>Days an events index is kept by default.</summary>
    public const int DefaultEventsRetentionDays = 30;

    /// <summary>Days a control-plane index is kept by default.</summary>
    public const int DefaultControlPlaneRetentionDays = 14;

    /// <summary>Longest retention accepted (ten years, Serverless' own limit too).</summary>
    public const int MaxRetentionDays = 3650;

    /// <summary>The events index prefix.</summary>
    public required string EventsIndex { get; init; }

    /// <summary>The control-plane index prefix.</summary>
    public required string ControlPlaneIndex { get; init; }

    /// <summary>Days before an events index is deleted.</summary>
    public required int EventsRetentionDays { get; init; }

    /// <summary>Days before a control-plane index is deleted.</summary>
    public required int ControlPlaneRetentionDays { get; init; }

    /// <summary>The Dashboards base URL; null means "&lt;endpoint&gt;/_dashboards" (Amazon OpenSearch Service).</summary>
    public Uri? DashboardsUrl { get; init; }

    /// <summary>True for an OpenSearch Serverless collection (signing name aoss): no ISM, no saved-objects import.</summary>
    public bool Serverless { get; init; }

    /// <summary>The template file for the events indices.</summary>
    public static string EventsTemplateFile => $"{DefaultEventsIndex}.template.json";

    /// <summary>The template file for the control-plane indices.</summary>
    public static string ControlPlaneTemplateFile => $"{DefaultControlPlaneIndex}.template.json";

    /// <summary>Both prefixes with their template file and retention, in the order they are installed.</summary>
    public IReadOnlyList<(string Prefix, string TemplateFile, int RetentionDays)> Indices =>
    [
        (EventsIndex, EventsTemplateFile, EventsRetentionDays),
        (ControlPlaneIndex, ControlPlaneTemplateFile, ControlPlaneRetentionDays),
    ];
}
