using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Collector.Kubernetes.LeaderElection;

/// <summary>
/// Reads and writes coordination.k8s.io/v1 Lease objects with <see cref="JsonDocument"/> and
/// <see cref="Utf8JsonWriter"/> (no reflection, so it stays Native-AOT clean).
/// </summary>
public static class LeaseJson
{
    /// <summary>Parses a Lease object. Throws <see cref="JsonException"/> when it is not one.</summary>
    public static Lease Parse(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("metadata"u8, out var metadata)
            || metadata.ValueKind != JsonValueKind.Object
            || !metadata.TryGetProperty("resourceVersion"u8, out var resourceVersion)
            || resourceVersion.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("A Lease needs metadata.resourceVersion.");
        }

        var spec = root.TryGetProperty("spec"u8, out var s) && s.ValueKind == JsonValueKind.Object
            ? ParseSpec(s)
            : new LeaseSpec("", null, null, null, 0);
        return new Lease(resourceVersion.GetString()!, spec, json);
    }

    /// <summary>The body of the POST that creates the lease.</summary>
    public static byte[] WriteNew(string @namespace, string name, LeaseSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, "coordination.k8s.io/v1"u8);
            writer.WriteString("kind"u8, "Lease"u8);
            writer.WriteStartObject("metadata"u8);
            writer.WriteString("name"u8, name);
            writer.WriteString("namespace"u8, @namespace);
            writer.WriteEndObject();
            writer.WriteStartObject("spec"u8);
            WriteSpecFields(writer, spec);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The body of the PUT that replaces <paramref name="current"/>: the object as read (its
    /// metadata.resourceVersion is the precondition), with the election fields of its spec set to
    /// <paramref name="spec"/>. Other fields stay, so a replace does not undo another client's labels,
    /// annotations or newer spec fields.
    /// </summary>
    public static byte[] WriteReplacement(Lease current, LeaseSpec spec)
    {
        using var document = JsonDocument.Parse(current.Json);
        var buffer = new ArrayBufferWriter<byte>(current.Json.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var wroteSpec = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("spec"u8) && property.Value.ValueKind == JsonValueKind.Object)
                {
                    writer.WriteStartObject("spec"u8);
                    WriteSpecFields(writer, spec);
                    foreach (var field in property.Value.EnumerateObject())
                    {
                        if (!IsElectionField(field))
                        {
                            field.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                    wroteSpec = true;
                }
                else if (!property.NameEquals("spec"u8))
                {
                    property.WriteTo(writer);
                }
            }

            if (!wroteSpec)
            {
                writer.WriteStartObject("spec"u8);
                WriteSpecFields(writer, spec);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A meta/v1 MicroTime: RFC 3339 in UTC with exactly six fractional digits. The API server parses it
    /// with Go's RFC3339Micro layout, which rejects .NET's seven-digit round-trip format.
    /// </summary>
    public static string FormatMicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);

    private static LeaseSpec ParseSpec(JsonElement spec)
    {
        var holder = "";
        int? duration = null;
        DateTimeOffset? acquired = null;
        DateTimeOffset? renewed = null;
        var transitions = 0;
        foreach (var field in spec.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (field.NameEquals("holderIdentity"u8))
            {
                holder = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : throw Invalid(field);
            }
            else if (field.NameEquals("leaseDurationSeconds"u8))
            {
                duration = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var seconds) ? seconds : throw Invalid(field);
            }
            else if (field.NameEquals("acquireTime"u8))
            {
                acquired = field.Value.ValueKind == JsonValueKind.String && field.Value.TryGetDateTimeOffset(out var time) ? time : throw Invalid(field);
            }
            else if (field.NameEquals("renewTime"u8))
            {
                renewed = field.Value.ValueKind == JsonValueKind.String && field.Value.TryGetDateTimeOffset(out var time) ? time : throw Invalid(field);
            }
            else if (field.NameEquals("leaseTransitions"u8))
            {
                transitions = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var count) ? count : throw Invalid(field);
            }
        }

        return new LeaseSpec(holder, duration, acquired, renewed, transitions);
    }

    private static JsonException Invalid(JsonProperty field) =>
        new($"The Lease's spec.{field.Name} is not valid: {field.Value.GetRawText()}");

    private static bool IsElectionField(JsonProperty field) =>
        field.NameEquals("holderIdentity"u8)
        || field.NameEquals("leaseDurationSeconds"u8)
        || field.NameEquals("acquireTime"u8)
        || field.NameEquals("renewTime"u8)
        || field.NameEquals("leaseTransitions"u8);

    private static void WriteSpecFields(Utf8JsonWriter writer, LeaseSpec spec)
    {
        // An empty holder is written, not left out, as client-go does on release.
        writer.WriteString("holderIdentity"u8, spec.HolderIdentity);
        if (spec.LeaseDurationSeconds is { } seconds)
        {
            writer.WriteNumber("leaseDurationSeconds"u8, seconds);
        }

        if (spec.AcquireTime is { } acquired)
        {
            writer.WriteString("acquireTime"u8, FormatMicroTime(acquired));
        }

        if (spec.RenewTime is { } renewed)
        {
            writer.WriteString("renewTime"u8, FormatMicroTime(renewed));
        }

        writer.WriteNumber("leaseTransitions"u8, spec.LeaseTransitions);
    }
}
