using System.Text;

namespace Shared.Aws.Tests;

/// <summary>Reading an AWS service's error answer into the code and message an operator sees.</summary>
public sealed class AwsErrorTests
{
    private static AwsError Read(string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.BadRequest);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return AwsError.Read(response.Headers, Encoding.UTF8.GetBytes(body));
    }

    [Theory]
    [InlineData("""{"__type":"ThrottlingException","message":"Rate exceeded"}""", "ThrottlingException", "Rate exceeded")]
    [InlineData("""{"__type":"com.amazonaws.ssm#ParameterNotFound","Message":"Parameter /x not found."}""", "ParameterNotFound", "Parameter /x not found.")]
    [InlineData("""{"Message":"User is not authorized","__type":"AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/"}""", "AccessDeniedException", "User is not authorized")]
    [InlineData("""{"code":"InternalFailure","message":"","extra":{"nested":[1,2]}}""", "InternalFailure", "")]
    public void Read_JsonErrorShapes_BareCodeAndMessage(string body, string code, string message)
    {
        var error = Read(body);

        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Read_ErrortypeHeader_WinsOverTheBodyAndTheRequestIdIsKept()
    {
        var error = Read("""{"__type":"Other","message":"m"}""", ("X-Amzn-Errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/"), ("x-amzn-RequestId", "r-1"));

        Assert.Equal(new AwsError("ThrottlingException", "m", "r-1"), error);
    }

    [Fact]
    public void Read_XmlErrorDocument_CodeAndDecodedMessage()
    {
        var error = Read("<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &amp; so on</Message></Error></ErrorResponse>");

        Assert.Equal(("SignatureDoesNotMatch", "The request signature we calculated does not match & so on"), (error.Code, error.Message));
    }

    [Fact]
    public void Read_ProxyPage_UnknownCodeAndAnExcerptOfThePage()
    {
        var error = Read("<html><body>502 Bad Gateway</body></html>" + new string(' ', 10) + new string('x', 1000));

        Assert.Equal("Unknown", error.Code);
        Assert.StartsWith("<html><body>502 Bad Gateway", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400);
    }

    [Theory]
    [InlineData("AWS.SimpleQueueService.NonExistentQueue;Sender", "AWS.SimpleQueueService.NonExistentQueue")]
    [InlineData("KMS.ThrottlingException;Sender", "KMS.ThrottlingException")]
    [InlineData("AWS.SimpleQueueService.ServiceUnavailable", "AWS.SimpleQueueService.ServiceUnavailable")]
    [InlineData(" ;Sender", null)]
    public void Read_QueryCompatibleAnswer_KeepsTheQueryCodeWithoutTheFault(string header, string? queryCode)
    {
        var error = Read("""{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}""", ("x-amzn-query-error", header));

        Assert.Equal(("QueueDoesNotExist", queryCode), (error.Code, error.QueryCode));
    }
}
