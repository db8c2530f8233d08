using System.Text;
using System.Text.Json;

namespace Shared.OpenSearch.Tests;

public sealed class BulkResponseReaderTests
{
    [Fact]
    public void Read_MappingErrorWithCause_AppendsTheCause()
    {
        const string json = """
            {"took":3,"errors":true,"items":[{"index":{"_index":"i","_id":"1","status":400,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [lastTimestamp] of type [date]","caused_by":{"type":"illegal_argument_exception","reason":"failed to parse date field [yesterday]"}}}}]}
            """;

        var item = Assert.Single(BulkResponseReader.Read(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("mapper_parsing_exception", item.ErrorType);
        Assert.Equal("failed to parse field [lastTimestamp] of type [date] (caused by illegal_argument_exception: failed to parse date field [yesterday])", item.Reason);
    }

    [Theory]
    [InlineData("<html>502</html>")]
    [InlineData("{\"took\":1,\"errors\":false}")]
    [InlineData("[]")]
    public void Read_NotABulkResponse_Throws(string body)
    {
        Assert.ThrowsAny<JsonException>(() => BulkResponseReader.Read(Encoding.UTF8.GetBytes(body)));
    }
}
