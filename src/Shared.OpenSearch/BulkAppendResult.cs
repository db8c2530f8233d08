namespace Shared.OpenSearch;

/// <summary>What <see cref="BulkRequestBody.Append"/> did with an item.</summary>
public enum BulkAppendResult
{
    /// <summary>The item is in the body, its document on one line.</summary>
    Appended,

    /// <summary>The item does not fit: send the body, then append it to an empty one.</summary>
    Full,

    /// <summary>
    /// The item can never be sent: its source is not one valid JSON object. It is not in the body; the
    /// caller reports it as refused for good, with the reason given.
    /// </summary>
    Refused,
}
