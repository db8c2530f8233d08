using System.Buffers;

namespace Shared.Aws;

/// <summary>
/// What a queue URL tells about where its queue lives: the region in its host, which is where the AWS SDKs look
/// when no region is configured. Used as the fallback region of <see cref="AwsEndpoint.Resolve"/> for SQS.
/// </summary>
public static class SqsQueueUrl
{
    private static readonly SearchValues<char> RegionLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz-");

    /// <summary>
    /// The region in a queue URL's host: <c>sqs.&lt;region&gt;.amazonaws.com[.cn]</c>, <c>sqs-fips.&lt;region&gt;...</c>,
    /// a VPC endpoint's <c>vpce-....sqs.&lt;region&gt;.vpce.amazonaws.com</c>, or the legacy
    /// <c>&lt;region&gt;.queue.amazonaws.com</c> and <c>queue.amazonaws.com</c> (us-east-1); null for any other host
    /// (a local endpoint such as moto's, a proxy).
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
}
