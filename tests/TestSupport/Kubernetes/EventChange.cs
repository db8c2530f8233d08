namespace TestSupport.Kubernetes;

/// <summary>
/// One write to an event as the watch cache keeps it: its version, the watch type (ADDED, MODIFIED,
/// DELETED), the namespace watches filter on, the namespace/name key and the stored JSON at that version.
/// </summary>
internal sealed record EventChange(long Version, string Type, string Namespace, string Key, string Json);
