using Shared.Contract.Settings;

namespace Shared.Aws;

/// <summary>
/// What a JSON-protocol call needs to know about an AWS service: where its regional endpoint is, the SigV4
/// signing name, the id its endpoint variable is named after, and how operations are addressed
/// (<c>X-Amz-Target: &lt;TargetPrefix&gt;.&lt;Operation&gt;</c>, <c>Content-Type: application/x-amz-json-&lt;JsonVersion&gt;</c>).
/// The values come from each service's model (its <c>metadata</c>: endpointPrefix, signingName, serviceId,
/// targetPrefix, jsonVersion).
/// </summary>
/// <param name="EndpointPrefix">The first label of the regional endpoint (<c>ssm</c> in <c>ssm.eu-west-1.amazonaws.com</c>).</param>
/// <param name="SigningName">The service name in the SigV4 credential scope.</param>
/// <param name="EnvironmentId">The service id as it appears in <c>AWS_ENDPOINT_URL_&lt;id&gt;</c>.</param>
/// <param name="TargetPrefix">The prefix of <c>X-Amz-Target</c>.</param>
/// <param name="JsonVersion">The JSON protocol version: <c>1.0</c> or <c>1.1</c>.</param>
public sealed record AwsService(string EndpointPrefix, string SigningName, string EnvironmentId, string TargetPrefix, string JsonVersion)
{
    /// <summary>Systems Manager (awsJson1_1).</summary>
    public static AwsService Ssm { get; } = new("ssm", "ssm", "SSM", "AmazonSSM", "1.1");

    /// <summary>Simple Queue Service (awsJson1_0).</summary>
    public static AwsService Sqs { get; } = new("sqs", "sqs", "SQS", "AmazonSQS", "1.0");

    /// <summary>CloudWatch (awsJson1_0, which it accepts besides its older query protocol).</summary>
    public static AwsService CloudWatch { get; } = new("monitoring", "monitoring", "CLOUDWATCH", "GraniteServiceVersion20100801", "1.0");

    /// <summary>CloudWatch Logs (awsJson1_1).</summary>
    public static AwsService Logs { get; } = new("logs", "logs", "CLOUDWATCH_LOGS", "Logs_20140328", "1.1");

    /// <summary>Elastic Kubernetes Service: a REST-JSON service (<see cref="AwsRestJsonClient"/>), so no target prefix.</summary>
    public static AwsService Eks { get; } = new("eks", "eks", "EKS", "", "");

    /// <summary>Lambda: a REST-JSON service (<see cref="AwsRestJsonClient"/>), so no target prefix.</summary>
    public static AwsService Lambda { get; } = new("lambda", "lambda", "LAMBDA", "", "");

    /// <summary>The request and response content type.</summary>
    public string ContentType => "application/x-amz-json-" + JsonVersion;

    /// <summary>The service's own endpoint variable, e.g. <c>AWS_ENDPOINT_URL_SSM</c>.</summary>
    public string EndpointVariable => EnvironmentVariableNames.EndpointUrlPrefix + EnvironmentId;

    /// <inheritdoc />
    public override string ToString() => EnvironmentId;
}
