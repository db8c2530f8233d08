using System.Buffers;
using System.Text.Json;
using Shared.Aws;

namespace Shared.OpenSearch.Credentials;

/// <summary>
/// SSM's <c>GetParameters</c> in the JSON protocol: the request <c>{"Names":[...],"WithDecryption":true}</c> and
/// the answer <c>{"Parameters":[{"Name","Type","Value","Version",...}],"InvalidParameters":[...]}</c>, of which
/// only names and values are kept.
/// </summary>
internal static class GetParametersCall
{
    /// <summary>The operation name.</summary>
    public const string Operation = "GetParameters";

    private const string Answer = "The GetParameters answer";

    /// <summary>The request body, asking for decrypted values (SecureString parameters come back in clear).</summary>
    public static byte[] Request(IReadOnlyList<string> names)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Names"u8);
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("WithDecryption"u8, true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the answer.</summary>
    /// <exception cref="JsonException">The answer is not of the documented shape.</exception>
    public static GetParametersResult Read(ReadOnlySpan<byte> json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var invalid = new List<string>();
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Parameters"u8))
            {
                if (Next(ref reader) == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartArray, current: true);
                while (Next(ref reader) == JsonTokenType.StartObject)
                {
                    ReadParameter(ref reader, values);
                }

                Expect(ref reader, JsonTokenType.EndArray, current: true);
            }
            else if (reader.ValueTextEquals("InvalidParameters"u8))
            {
                if (Next(ref reader) == JsonTokenType.Null)
                {
                    continue;
                }

                Expect(ref reader, JsonTokenType.StartArray, current: true);
                while (Next(ref reader) == JsonTokenType.String)
                {
                    invalid.Add(reader.GetString()!);
                }

                Expect(ref reader, JsonTokenType.EndArray, current: true);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new GetParametersResult(values, invalid);
    }

    private static void ReadParameter(ref Utf8JsonReader reader, Dictionary<string, string> values)
    {
        string? name = null;
        string? value = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Name"u8))
            {
                Next(ref reader);
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("Value"u8))
            {
                Next(ref reader);
                value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        if (name is not null)
        {
            values[name] = value ?? string.Empty;
        }
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) => AwsJsonTokens.Next(ref reader, Answer);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool current = false) =>
        AwsJsonTokens.Expect(ref reader, type, Answer, current);
}
