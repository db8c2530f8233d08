using System.Buffers;
using Collector.Settings;
using Shared.Aws;
using Shared.Contract.Settings;

namespace Collector.Sending;

/// <summary>
/// Where SendMessageBatch requests go and which region signs them, resolved the way the AWS SDKs do it
/// (<see cref="AwsEndpoint"/>): the endpoint from <c>AWS_ENDPOINT_URL_SQS</c>, else <c>AWS_ENDPOINT_URL</c> (unless
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true), else the regional endpoint; the region from
/// <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else the queue URL's host.
/// </summary>
public static class SqsEndpoint
{
    private static readonly SearchValues<char> RegionLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz-");

    /// <summary>Resolves the endpoint and region, or throws one <see cref="ConfigurationException"/> saying what to set.</summary>
    public static AwsEndpoint Resolve(Uri queueUrl, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Resolve(queueUrl, new Variables(environment));
    }

    /// <summary>As <see cref="Resolve(Uri, IReadOnlyDictionary{string, string?})"/>, reading <paramref name="environment"/>.</summary>
    public static AwsEndpoint Resolve(Uri queueUrl, IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(queueUrl);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<SettingError>();

        var region = AwsEndpoint.RegionFrom(environment) ?? RegionOf(queueUrl.Host);
        if (region is null)
        {
            errors.Add(new SettingError(EnvironmentVariables.AwsRegion, $"{EnvironmentVariables.AwsRegion} is required: the region cannot be told from {EnvironmentVariables.QueueUrl} '{queueUrl}' (its host is not sqs.<region>.amazonaws.com)."));
        }

        var endpoint = AwsEndpoint.ConfiguredUrl(AwsService.Sqs, environment, out var variable, out var problem);
        if (problem is not null)
        {
            errors.Add(new SettingError(variable ?? string.Empty, problem));
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors, CollectorSettingsReader.ErrorHeading);
        }

        return new AwsEndpoint(endpoint ?? AwsEndpoint.RegionalUrl(AwsService.Sqs, region!), region!);
    }

    /// <summary>
    /// The region in a queue URL's host: <c>sqs.&lt;region&gt;.amazonaws.com[.cn]</c>, <c>sqs-fips.&lt;region&gt;...</c>,
    /// a VPC endpoint's <c>vpce-....sqs.&lt;region&gt;.vpce.amazonaws.com</c>, or the legacy
    /// <c>&lt;region&gt;.queue.amazonaws.com</c> and <c>queue.amazonaws.com</c> (us-east-1); null for any other host.
    /// </summary>
    public static string? RegionOf(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var labels = host.ToLowerInvariant().Split('.');
        var amazon = Array.IndexOf(labels, "amazonaws");
        if (amazon < 0)
        {
            return null;
        }

        for (var i = 0; i + 1 < amazon; i++)
        {
            if (labels[i] is "sqs" or "sqs-fips" && LooksLikeRegion(labels[i + 1]))
            {
                return labels[i + 1];
            }
        }

        if (amazon >= 1 && labels[amazon - 1] == "queue")
        {
            if (amazon == 1)
            {
                return "us-east-1";
            }

            if (LooksLikeRegion(labels[amazon - 2]))
            {
                return labels[amazon - 2];
            }
        }

        return null;
    }

    /// <summary>us-east-1, eu-central-2, us-gov-west-1, ap-southeast-4: letters, dashes, a final number.</summary>
    private static bool LooksLikeRegion(string label)
    {
        var dash = label.LastIndexOf('-');
        return dash > 0
            && dash < label.Length - 1
            && char.IsAsciiLetterLower(label[0])
            && !label.AsSpan(0, dash).ContainsAnyExcept(RegionLetters)
            && !label.AsSpan(dash + 1).ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>A dictionary in which a null value means "not set" (tests, tools).</summary>
    private sealed class Variables(IReadOnlyDictionary<string, string?> values) : IEnvironmentVariables
    {
        public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;
    }
}
