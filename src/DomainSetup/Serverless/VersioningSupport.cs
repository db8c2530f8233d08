namespace DomainSetup.Serverless;

/// <summary>What a collection does with the writes the functions send (a client-chosen <c>_id</c> with <c>version_type=external_gte</c>).</summary>
public enum VersioningSupport
{
    /// <summary>An older version is refused with 409: a late redelivery cannot replace a newer document.</summary>
    Honoured,

    /// <summary>Writes are accepted but an older version replaces a newer one: a late redelivery can roll a document back.</summary>
    Ignored,

    /// <summary>The write is refused as a whole (a time-series or vector collection refuses a client-chosen <c>_id</c>): nothing can be indexed.</summary>
    Refused,
}
