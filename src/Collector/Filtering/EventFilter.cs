using Collector.Kubernetes;
using Collector.Settings;

namespace Collector.Filtering;

/// <summary>
/// The include/exclude rules by namespace, type, reason and involved-object kind. An empty include list
/// lets everything through; an exclude always wins. Names compare case-sensitively for namespaces (they
/// are DNS labels) and case-insensitively for type, reason and kind (operators write "warning").
/// </summary>
public sealed class EventFilter
{
    private readonly HashSet<string> _includeNamespaces;
    private readonly HashSet<string> _excludeNamespaces;
    private readonly HashSet<string> _includeTypes;
    private readonly HashSet<string> _excludeTypes;
    private readonly HashSet<string> _includeReasons;
    private readonly HashSet<string> _excludeReasons;
    private readonly HashSet<string> _includeKinds;
    private readonly HashSet<string> _excludeKinds;

    public EventFilter(CollectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _includeNamespaces = new(settings.Namespaces, StringComparer.Ordinal);
        _excludeNamespaces = new(settings.ExcludeNamespaces, StringComparer.Ordinal);
        _includeTypes = new(settings.IncludeTypes, StringComparer.OrdinalIgnoreCase);
        _excludeTypes = new(settings.ExcludeTypes, StringComparer.OrdinalIgnoreCase);
        _includeReasons = new(settings.IncludeReasons, StringComparer.OrdinalIgnoreCase);
        _excludeReasons = new(settings.ExcludeReasons, StringComparer.OrdinalIgnoreCase);
        _includeKinds = new(settings.IncludeKinds, StringComparer.OrdinalIgnoreCase);
        _excludeKinds = new(settings.ExcludeKinds, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>True when the event should be shipped.</summary>
    public bool Accepts(ObservedEvent observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return Passes(_includeNamespaces, _excludeNamespaces, observed.Namespace)
            && Passes(_includeTypes, _excludeTypes, observed.Type)
            && Passes(_includeReasons, _excludeReasons, observed.Reason)
            && Passes(_includeKinds, _excludeKinds, observed.InvolvedKind);
    }

    private static bool Passes(HashSet<string> include, HashSet<string> exclude, string value) =>
        !exclude.Contains(value) && (include.Count == 0 || include.Contains(value));
}
