using Shared.OpenSearch.Credentials;

namespace Shared.OpenSearch.Tests.Credentials;

public sealed class OpenSearchCredentialsTests
{
    [Theory]
    [InlineData("search-d.eu-west-1.es.amazonaws.com", "https://search-d.eu-west-1.es.amazonaws.com/")]
    [InlineData("https://search-d.eu-west-1.es.amazonaws.com", "https://search-d.eu-west-1.es.amazonaws.com/")]
    [InlineData("https://search-d.eu-west-1.es.amazonaws.com/", "https://search-d.eu-west-1.es.amazonaws.com/")]
    [InlineData(" vpc-d.eu-west-1.es.amazonaws.com:443 ", "https://vpc-d.eu-west-1.es.amazonaws.com/")]
    [InlineData("http://127.0.0.1:9200", "http://127.0.0.1:9200/")]
    public void ParseEndpoint_WithOrWithoutScheme_DefaultsToHttps(string host, string expected)
    {
        Assert.Equal(new Uri(expected), OpenSearchCredentials.ParseEndpoint(host, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://x")]
    [InlineData("https://")]
    public void ParseEndpoint_NotAnEndpoint_SaysWhy(string host)
    {
        Assert.Null(OpenSearchCredentials.ParseEndpoint(host, out var problem));
        Assert.Contains("not a domain endpoint", problem, StringComparison.Ordinal);
    }
}
