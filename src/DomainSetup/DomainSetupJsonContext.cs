using System.Text.Json.Serialization;
using DomainSetup.Serverless;

namespace DomainSetup;

/// <summary>Source-generated serialization for the few documents the setup writes with types.</summary>
[JsonSerializable(typeof(ProbeAction))]
public sealed partial class DomainSetupJsonContext : JsonSerializerContext;
