using System.Text.Json;

namespace ControlPlaneLogsFunction.Documents;

/// <summary>
/// The document's field names. The <c>@</c> fields are the LogsToElasticsearch blueprint's, which the
/// EKS workshop dashboards read; the template (OpenSearch/eks-control-plane-logs.template.json) types them.
/// </summary>
public static class FieldNames
{
    /// <summary>The CloudWatch log event id (also the document's <c>_id</c>).</summary>
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("@id");

    /// <summary>The log event's timestamp, ISO 8601 UTC.</summary>
    public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("@timestamp");

    /// <summary>The raw line.</summary>
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("@message");

    /// <summary>The account id.</summary>
    public static readonly JsonEncodedText Owner = JsonEncodedText.Encode("@owner");

    /// <summary>The log group.</summary>
    public static readonly JsonEncodedText LogGroup = JsonEncodedText.Encode("@log_group");

    /// <summary>The log stream.</summary>
    public static readonly JsonEncodedText LogStream = JsonEncodedText.Encode("@log_stream");

    /// <summary>The cluster name.</summary>
    public static readonly JsonEncodedText ClusterName = JsonEncodedText.Encode("clusterName");

    /// <summary>The log type.</summary>
    public static readonly JsonEncodedText LogType = JsonEncodedText.Encode("log_type");

    /// <summary>Why the line did not parse.</summary>
    public static readonly JsonEncodedText ParseError = JsonEncodedText.Encode("parse_error");

    /// <summary>Why OpenSearch refused the parsed document (set on its plain form).</summary>
    public static readonly JsonEncodedText IndexError = JsonEncodedText.Encode("index_error");

    /// <summary>Set when the payload held invalid UTF-8 that was replaced by U+FFFD in this line.</summary>
    public static readonly JsonEncodedText InvalidUtf8 = JsonEncodedText.Encode("invalid_utf8");

    /// <summary>klog severity: info, warning, error, fatal.</summary>
    public static readonly JsonEncodedText Severity = JsonEncodedText.Encode("severity");

    /// <summary>The time the line itself states (klog header with the inferred year; authenticator <c>time</c>).</summary>
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");

    /// <summary>klog thread id.</summary>
    public static readonly JsonEncodedText ThreadId = JsonEncodedText.Encode("thread_id");

    /// <summary>klog <c>file.go:line</c>.</summary>
    public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");

    /// <summary>klog message (unquoted for structured lines).</summary>
    public static readonly JsonEncodedText Msg = JsonEncodedText.Encode("msg");

    /// <summary>Structured klog pairs as <c>key=value</c> keywords: searchable without a field per key.</summary>
    public static readonly JsonEncodedText KeyValues = JsonEncodedText.Encode("kv");

    /// <summary>Structured klog pairs as an object (in <c>_source</c>; only well-known keys are indexed).</summary>
    public static readonly JsonEncodedText Klog = JsonEncodedText.Encode("klog");

    /// <summary>
    /// True for names the function writes itself (or that the audit event uses for objects): a parsed key
    /// with one of these names is written with a prefix so it cannot clash with ours.
    /// </summary>
    public static bool IsReserved(ReadOnlySpan<char> name) =>
        (name.Length > 0 && name[0] == '@')
        || name is "clusterName" or "log_type" or "parse_error" or "index_error" or "invalid_utf8"
            or "severity" or "thread_id" or "source" or "kv" or "klog" or "object" or "origin"
            or "user" or "impersonatedUser" or "objectRef" or "responseStatus" or "annotations"
            or "requestObject" or "responseObject" or "requestReceivedTimestamp" or "stageTimestamp" or "sourceIPs";

    /// <summary>True for names an audit event must not take over (ours); its own object names are fine there.</summary>
    public static bool IsOwnField(ReadOnlySpan<byte> name) =>
        (name.Length > 0 && name[0] == (byte)'@')
        || name.SequenceEqual("clusterName"u8) || name.SequenceEqual("log_type"u8) || name.SequenceEqual("parse_error"u8)
        || name.SequenceEqual("index_error"u8) || name.SequenceEqual("invalid_utf8"u8) || name.SequenceEqual("severity"u8)
        || name.SequenceEqual("thread_id"u8) || name.SequenceEqual("source"u8) || name.SequenceEqual("kv"u8)
        || name.SequenceEqual("klog"u8) || name.SequenceEqual("time"u8) || name.SequenceEqual("msg"u8)
        || name.SequenceEqual("object"u8) || name.SequenceEqual("origin"u8);
}
