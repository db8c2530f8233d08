using System.Text.Json.Serialization;

namespace Functions.Runtime;

/// <summary>Source-generated serialization for the runtime loop's own documents.</summary>
[JsonSerializable(typeof(LambdaError))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
