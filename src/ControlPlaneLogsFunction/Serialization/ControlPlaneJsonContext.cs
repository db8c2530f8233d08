using System.Text.Json.Serialization;
using ControlPlaneLogsFunction.Handling;
using Functions.Runtime.Events.CloudWatchLogs;
using Functions.Runtime.Events.Destinations;
using Functions.Runtime.Events.Sqs;

namespace ControlPlaneLogsFunction.Serialization;

/// <summary>Source-generated serialization for everything this function reads and writes: no reflection, AOT-clean.</summary>
[JsonSourceGenerationOptions(AllowTrailingCommas = false, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(CloudWatchLogsEvent))]
[JsonSerializable(typeof(CloudWatchLogsPayload))]
[JsonSerializable(typeof(InvocationSummary))]
[JsonSerializable(typeof(SQSEvent))]
[JsonSerializable(typeof(SQSBatchResponse))]
[JsonSerializable(typeof(AsyncInvocationRecord))]
internal sealed partial class ControlPlaneJsonContext : JsonSerializerContext;
