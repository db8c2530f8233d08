using System.Text;
using System.Text.Json.Nodes;
using ControlPlaneLogsFunction.Tests.Samples;
using TestSupport;
using TestSupport.Json;

namespace ControlPlaneLogsFunction.Tests.Documents;

/// <summary>
/// Property: whatever JSON reaches the audit stream, in whatever layout (compact, pretty with LF, with
/// CRLF and tabs, random whitespace) and however broken, its document is one line of valid JSON that
/// keeps the raw line; an audit event's fields come out as they went in, anything else has parse_error.
/// Lines are generated from fixed seeds (deep chains, long strings, raw and escaped non-ASCII,
/// U+2028/U+2029, escaped control characters).
/// </summary>
public sealed class AuditLinePropertyTests
{
    public static TheoryData<int> Seeds() => PropertySeeds.First(30);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Build_GeneratedAuditStreamLine_OneLineDocumentWithItsFieldsOrParseError(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 20; n++)
        {
            var generator = new JsonGenerator(random);
            var tree = generator.Object();
            var isEvent = random.Next(3) != 0;
            if (isEvent)
            {
                tree["kind"] = "Event";
                tree["auditID"] = $"{seed:x8}-{n:x4}-4000-8000-000000000000";
                tree["stage"] = "ResponseComplete";
                tree["requestObject"] = generator.Object(depth: 3);
            }

            var layout = (JsonLayout)random.Next(4);
            var damage = random.Next(4) == 0 ? (JsonDamage)random.Next(1, 6) : JsonDamage.None;
            var (input, _) = generator.Render(tree, layout, damage);
            var line = Encoding.UTF8.GetString(input); // as the function decodes it: invalid bytes become U+FFFD
            var name = $"{seed}-{n} {layout} {damage}";

            // DocumentAssert.Parse: valid JSON, no duplicate field, no line break.
            var (built, json) = DocumentAssert.Build(ControlPlaneLines.AuditStream, line);

            Assert.True(built.Item.Source.Span.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0, $"{name}: the document holds layout");
            Assert.Equal(line, (string?)json["@message"]);
            var parseError = (string?)json["parse_error"];
            if (damage == JsonDamage.None && parseError is null)
            {
                Assert.True(isEvent, $"{name}: parsed as an audit event without kind or auditID");
                foreach (var (field, value) in tree)
                {
                    Assert.True(JsonNode.DeepEquals(value, json[field]), $"{name}: {field} differs");
                }
            }
            else if (damage == JsonDamage.None)
            {
                // The audit writer reads 128 levels deep: a deeper line is stored plain, saying so.
                var tooDeep = Depth(tree) > 120 && parseError!.Contains("depth", StringComparison.Ordinal);
                Assert.True(tooDeep || (!isEvent && parseError == "not a JSON audit event: a JSON object without \"kind\":\"Event\" or \"auditID\""), $"{name}: {parseError}");
            }
            else if (damage is not JsonDamage.InvalidUtf8)
            {
                Assert.True(parseError?.StartsWith("not a JSON audit event: ", StringComparison.Ordinal) == true, $"{name}: {parseError}");
            }
        }
    }

    private static int Depth(JsonNode? node) => node switch
    {
        JsonObject obj => 1 + obj.Select(p => Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonArray array => 1 + array.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };
}
