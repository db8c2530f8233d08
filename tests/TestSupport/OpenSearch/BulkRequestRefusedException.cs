namespace TestSupport.OpenSearch;

/// <summary>
/// OpenSearch refuses a <c>_bulk</c> request as a whole: HTTP 400 with
/// <c>{"error":{"root_cause":[{"type","reason"}],"type","reason"},"status":400}</c>, and no item is executed.
/// </summary>
public sealed class BulkRequestRefusedException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public BulkRequestRefusedException(string type, string reason)
        : base(reason)
    {
        Type = type;
    }

    /// <summary>Creates a refusal with OpenSearch's most common type.</summary>
    public BulkRequestRefusedException()
        : this("illegal_argument_exception", "refused")
    {
    }

    /// <summary>Creates a refusal with OpenSearch's most common type.</summary>
    public BulkRequestRefusedException(string message)
        : this("illegal_argument_exception", message)
    {
    }

    /// <summary>Creates a refusal with OpenSearch's most common type.</summary>
    public BulkRequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Type = "illegal_argument_exception";
    }

    /// <summary>The error type, e.g. <c>illegal_argument_exception</c>, <c>json_parse_exception</c>.</summary>
    public string Type { get; }
}
