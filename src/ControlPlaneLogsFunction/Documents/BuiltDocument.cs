using ControlPlaneLogsFunction.Parsing;
using Functions.Runtime.Events.CloudWatchLogs;
using Shared.OpenSearch;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>One log event turned into a document, with what the handler needs to count it or re-index it plainly.</summary>
/// <param name="Item">The bulk item.</param>
/// <param name="Source">Where the line came from.</param>
/// <param name="Event">The log event.</param>
/// <param name="ParseError">True when the line did not parse and the document is the plain form with <c>parse_error</c>.</param>
public readonly record struct BuiltDocument(BulkItem Item, LogSource Source, CloudWatchLogsLogEvent Event, bool ParseError)
{
    /// <summary>The log type.</summary>
    public LogType Type => Source.Type;
}
