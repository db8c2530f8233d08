using System.Text.Json.Serialization;
using Functions.Runtime.Events.Sqs;

namespace IndexerFunction.Serialization;

/// <summary>The IndexerFunction's source-generated serialization: nothing is serialized by reflection, so Native AOT keeps it all.</summary>
[JsonSerializable(typeof(SQSBatchResponse))]
internal sealed partial class IndexerJsonContext : JsonSerializerContext;
