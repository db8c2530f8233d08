using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TestSupport.OpenSearch;
using YamlDotNet.RepresentationModel;

namespace Conformance.Tests.OpenSearchApi;

/// <summary>The double is only as good as its likeness: its bulk responses must satisfy the published API schema.</summary>
public sealed class OpenSearchDoubleContractTests
{
    private static (IReadOnlyList<string> Required, IReadOnlyList<string> Properties) Schema(string name)
    {
        using var reader = new StreamReader(PublicSamples.PathOf("opensearch/api-spec_schemas__core.bulk.yaml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        var schemas = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["components"])["schemas"];
        var schema = (YamlMappingNode)schemas[name];
        var required = schema.Children.TryGetValue("required", out var r) ? ((YamlSequenceNode)r).Select(n => n.ToString()).ToList() : [];
        var properties = ((YamlMappingNode)schema["properties"]).Children.Keys.Select(k => k.ToString()).ToList();
        return (required, properties);
    }

    [Fact]
    public async Task Bulk_SuccessConflictAndRejection_ResponsesSatisfyTheBulkResponseSchema()
    {
        await using var domain = await OpenSearchDouble.StartAsync();
        domain.RejectDocument = (_, doc) => doc.TryGetProperty("bad", out JsonElement _) ? "failed to parse" : null;
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{domain.User}:{domain.Password}")));
        const string body = """
            {"index":{"_index":"i","_id":"1","version":5,"version_type":"external_gte"}}
            {"a":1}
            {"index":{"_index":"i","_id":"1","version":4,"version_type":"external_gte"}}
            {"a":0}
            {"index":{"_index":"i","_id":"2"}}
            {"bad":true}

            """;
        using var content = new StringContent(body.Replace("\r\n", "\n", StringComparison.Ordinal), Encoding.UTF8, "application/x-ndjson");

        using var response = await http.PostAsync(new Uri(domain.Endpoint, "_bulk"), content);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var (bulkRequired, _) = Schema("BulkResponse");
        var (itemRequired, itemProperties) = Schema("ResponseItem");
        var (_, operations) = Schema("Item");
        Assert.All(bulkRequired, p => Assert.True(json.RootElement.TryGetProperty(p, out _), $"missing {p}"));
        Assert.True(json.RootElement.GetProperty("errors").GetBoolean());
        var statuses = new List<int>();
        foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
        {
            var op = Assert.Single(item.EnumerateObject());
            Assert.Contains(op.Name, operations);
            Assert.All(itemRequired, p => Assert.True(op.Value.TryGetProperty(p, out _), $"missing {p}"));
            Assert.All(op.Value.EnumerateObject(), p => Assert.Contains(p.Name, itemProperties));
            statuses.Add(op.Value.GetProperty("status").GetInt32());
        }

        Assert.Equal([201, 409, 400], statuses);
    }
}
