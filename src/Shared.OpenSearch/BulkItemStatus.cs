namespace Shared.OpenSearch;

/// <summary>What became of one document.</summary>
public enum BulkItemStatus
{
    /// <summary>Not confirmed stored: not sent, or a transient fault outlived the retries the deadline allowed. The default, so nothing counts as stored until OpenSearch says so.</summary>
    NotStored = 0,

    /// <summary>Stored by this write: created, or updated to a higher external version (or written without one).</summary>
    Indexed,

    /// <summary>
    /// Refused because a copy with the same or a higher external version is already stored: the newer copy won,
    /// or this one was stored before (a redelivery). Either way the document is stored, which is success.
    /// </summary>
    VersionConflict,

    /// <summary>Refused for good (mapping error, invalid document, too large): sending it again would fail again.</summary>
    Rejected,
}
