using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using TestSupport;
using TestSupport.Json;
using TestSupport.OpenSearch;

namespace Shared.OpenSearch.Tests;

/// <summary>
/// Property: whatever a document holds, a bulk body keeps one line per document and reads, by
/// OpenSearch's rules, as exactly one index operation per appended item. Documents are generated JSON
/// (fixed seeds, so a failure repeats): nested objects and arrays, deep chains, long strings, raw and
/// escaped non-ASCII, U+2028/U+2029, escaped control characters, written compact, pretty with LF, with
/// CRLF and tabs, or with random whitespace; and broken on purpose: cut short, invalid UTF-8, raw control
/// characters inside strings, trailing values, JSON that is not an object.
/// </summary>
public sealed class BulkRequestBodyPropertyTests
{
    public static TheoryData<int> Seeds() => PropertySeeds.First(40);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Append_GeneratedDocuments_EveryDocumentIsOneLineAndTheBodyReadsAsOneOperationPerItem(int seed)
    {
        var random = new Random(seed);
        var body = new BulkRequestBody(64 * 1024 * 1024);
        var appended = new List<(string Id, byte[] Input, string? Expected, bool Valid)>();
        for (var n = 0; n < 25; n++)
        {
            var generator = new JsonGenerator(random);
            var tree = generator.Object(depth: 0);
            var style = (JsonLayout)random.Next(4);
            var damage = random.Next(3) == 0 ? (JsonDamage)random.Next(1, 6) : JsonDamage.None;
            var (input, expected) = generator.Render(tree, style, damage);
            var id = $"{seed}-{n}-{style}-{damage}";

            var result = body.Append(new BulkItem("idx", id, input), out var refusal);

            if (damage == JsonDamage.None)
            {
                Assert.True(result == BulkAppendResult.Appended, $"{id} refused: {refusal}");
            }
            else if (damage is JsonDamage.InvalidUtf8 or JsonDamage.RawControlInString or JsonDamage.NotAnObject)
            {
                // Never one valid JSON object whatever the style: caught by the copy's check or the parse.
                Assert.True(result == BulkAppendResult.Refused, $"{id} was appended");
            }
            else if (result == BulkAppendResult.Appended)
            {
                // Cut short or followed by another value, and still taken: only possible on the fast path,
                // as one line written {...} in valid UTF-8; OpenSearch then fails that item alone.
                Assert.True(input.AsSpan().IndexOfAnyInRange((byte)0, (byte)0x1F) < 0 && input[0] == (byte)'{' && input[^1] == (byte)'}', $"{id} was taken as it is");
            }

            if (result == BulkAppendResult.Refused)
            {
                Assert.StartsWith("the document is ", refusal, StringComparison.Ordinal);
                continue;
            }

            appended.Add((id, input, expected, damage == JsonDamage.None));
        }

        // One action line and one document line per item, and nothing else.
        var bytes = body.Memory.Span;
        Assert.Equal(2 * appended.Count, bytes.Count((byte)'\n'));
        Assert.Equal(appended.Count, body.Count);
        var operations = BulkBodyParser.Parse(body.Memory);
        Assert.Equal(appended.Select(a => a.Id), operations.Select(o => o.Id));
        for (var i = 0; i < appended.Count; i++)
        {
            var line = operations[i].Source.Span;
            Assert.True(line.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0, $"{appended[i].Id} holds a control byte");
            Assert.True(Utf8.IsValid(line), $"{appended[i].Id} is not UTF-8");
            if (appended[i].Valid)
            {
                var options = new JsonDocumentOptions { MaxDepth = JsonCompactor.MaxDepth };
                var actual = JsonNode.Parse(line, documentOptions: options);
                var expected = JsonNode.Parse(appended[i].Expected!, documentOptions: options);
                Assert.True(JsonNode.DeepEquals(expected, actual), $"{appended[i].Id} changed");
            }
            else
            {
                Assert.Equal(appended[i].Input, line.ToArray()); // the fast path copies byte for byte
            }
        }
    }

    [Fact]
    public void Append_NestingDeeperThanOpenSearchParses_IsRefused()
    {
        var deep = new string('[', 1200) + new string(']', 1200);
        var body = new BulkRequestBody(1 << 20);

        var result = body.Append(new BulkItem("idx", "deep", Encoding.UTF8.GetBytes("{\n\"a\":" + deep + "}")), out var refusal);

        Assert.Equal(BulkAppendResult.Refused, result);
        Assert.Contains("depth", refusal, StringComparison.OrdinalIgnoreCase);
    }
}
