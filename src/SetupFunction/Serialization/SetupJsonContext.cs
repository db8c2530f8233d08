using System.Text.Json.Serialization;
using SetupFunction.CustomResources;
using SetupFunction.Handling;

namespace SetupFunction.Serialization;

/// <summary>Source-generated serialization for everything the setup function reads and writes.</summary>
[JsonSerializable(typeof(CustomResourceRequest))]
[JsonSerializable(typeof(CustomResourceResponse))]
[JsonSerializable(typeof(SetupCommandRequest))]
[JsonSerializable(typeof(ActionOutcome))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class SetupJsonContext : JsonSerializerContext;
