using Shared.Contract.Settings;

namespace Functions.Runtime.Settings;

/// <summary>
/// The settings both functions share (docs/configuration.md), read and validated once at init so a
/// mistake is an init error that names the variable, not a failure on every message.
/// </summary>
public sealed record FunctionSettings
{
    /// <summary>Default largest bulk body: 5 MiB.</summary>
    public const long DefaultBulkMaxBytes = 5L * 1024 * 1024;

    /// <summary>Default credentials cache lifetime.</summary>
    public const int DefaultCredentialsTtlSeconds = 300;

    /// <summary>Prefix of the SSM parameters host, user and password.</summary>
    public required string SsmParameterPrefix { get; init; }

    /// <summary>Cluster name where the input does not carry one; may be empty.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Largest bulk body in bytes.</summary>
    public required int BulkMaxBytes { get; init; }

    /// <summary>How long credentials are reused before SSM is read again.</summary>
    public required TimeSpan CredentialsTtl { get; init; }

    /// <summary>How requests to OpenSearch are authenticated.</summary>
    public OpenSearchAuth Auth { get; init; } = OpenSearchAuth.Basic;

    /// <summary>The SigV4 signing name (<c>es</c> or <c>aoss</c>); used with <see cref="OpenSearchAuth.SigV4"/>.</summary>
    public string SigningService { get; init; } = "es";

    /// <summary>The AWS region (AWS_REGION), for SigV4 when the endpoint's name does not carry one.</summary>
    public string? Region { get; init; }

    /// <summary>Default hold window: 72 hours, the buffer OpenSearch Ingestion keeps for an unavailable sink.</summary>
    public const int DefaultOutageHoldHours = 72;

    /// <summary>Default delay of the first re-queued copy.</summary>
    public const int DefaultRequeueDelaySeconds = 30;

    /// <summary>Default and largest delay of a re-queued copy: SQS's 15 minutes.</summary>
    public const int MaxRequeueDelaySeconds = 900;

    /// <summary>
    /// How long work failing only for transient reasons is held (OUTAGE_HOLD_HOURS); zero holds nothing, so every
    /// failure takes the queue's normal path to its dead-letter queue. At most 312 hours (13 days): the copies
    /// must stay within a queue's 14 days of retention.
    /// </summary>
    public TimeSpan OutageHold { get; init; } = TimeSpan.FromHours(DefaultOutageHoldHours);

    /// <summary>Delay of the first re-queued copy (REQUEUE_DELAY_SECONDS); it doubles with each copy.</summary>
    public TimeSpan RequeueDelay { get; init; } = TimeSpan.FromSeconds(DefaultRequeueDelaySeconds);

    /// <summary>Longest delay of a re-queued copy (REQUEUE_MAX_DELAY_SECONDS).</summary>
    public TimeSpan RequeueMaxDelay { get; init; } = TimeSpan.FromSeconds(MaxRequeueDelaySeconds);

    /// <summary>The queue the function consumes (SOURCE_QUEUE_URL), where held work is re-queued; null to take it from each record's eventSourceARN.</summary>
    public string? SourceQueueUrl { get; init; }

    /// <summary>What the OpenSearch writer needs of these settings.</summary>
    public OpenSearchConnectionSettings OpenSearch => new()
    {
        SsmParameterPrefix = SsmParameterPrefix,
        CredentialsTtl = CredentialsTtl,
        BulkMaxBytes = BulkMaxBytes,
        Auth = Auth,
        SigningService = SigningService,
        Region = Region,
    };

    /// <summary>Reads and validates the shared settings.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names it.</exception>
    public static FunctionSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var clusterName = reader.GetString(EnvironmentVariableNames.ClusterName, string.Empty);
        var prefix = reader.GetString(EnvironmentVariableNames.SsmParameterPrefix, string.Empty);
        if (prefix.Length == 0)
        {
            if (clusterName.Length == 0)
            {
                throw new ConfigurationException(
                    EnvironmentVariableNames.SsmParameterPrefix,
                    $"{EnvironmentVariableNames.SsmParameterPrefix} is not set and {EnvironmentVariableNames.ClusterName} is empty, so the default prefix {OpenSearchParameterPrefix.DefaultTemplate} cannot be formed: set one of them.");
            }

            prefix = OpenSearchParameterPrefix.DefaultFor(clusterName);
        }

        if (!OpenSearchParameterPrefix.IsWellFormed(prefix))
        {
            throw new ConfigurationException(
                EnvironmentVariableNames.SsmParameterPrefix,
                $"{EnvironmentVariableNames.SsmParameterPrefix}='{prefix}' {OpenSearchParameterPrefix.Rule}.");
        }

        var auth = reader.GetString(EnvironmentVariableNames.OpenSearchAuth, "basic").ToLowerInvariant() switch
        {
            "basic" => OpenSearchAuth.Basic,
            "sigv4" => OpenSearchAuth.SigV4,
            var other => throw new ConfigurationException(EnvironmentVariableNames.OpenSearchAuth, $"{EnvironmentVariableNames.OpenSearchAuth}='{other}' is not one of: basic, sigv4."),
        };
        var service = reader.GetString(EnvironmentVariableNames.OpenSearchService, "es").ToLowerInvariant();
        if (service is not ("es" or "aoss"))
        {
            throw new ConfigurationException(EnvironmentVariableNames.OpenSearchService, $"{EnvironmentVariableNames.OpenSearchService}='{service}' is not one of: es (OpenSearch Service domains), aoss (OpenSearch Serverless).");
        }

        var requeueDelay = reader.GetInt64(EnvironmentVariableNames.RequeueDelaySeconds, DefaultRequeueDelaySeconds, 1, MaxRequeueDelaySeconds);
        var requeueMaxDelay = reader.GetInt64(EnvironmentVariableNames.RequeueMaxDelaySeconds, MaxRequeueDelaySeconds, 1, MaxRequeueDelaySeconds);
        if (requeueMaxDelay < requeueDelay)
        {
            throw new ConfigurationException(
                EnvironmentVariableNames.RequeueMaxDelaySeconds,
                $"{EnvironmentVariableNames.RequeueMaxDelaySeconds}={requeueMaxDelay} is below {EnvironmentVariableNames.RequeueDelaySeconds}={requeueDelay}: the longest delay cannot be shorter than the first.");
        }

        var sourceQueueUrl = reader.GetString(EnvironmentVariableNames.SourceQueueUrl, string.Empty);
        if (sourceQueueUrl.Length > 0 && !(Uri.TryCreate(sourceQueueUrl, UriKind.Absolute, out var queueUri) && (queueUri.Scheme == Uri.UriSchemeHttps || queueUri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ConfigurationException(
                EnvironmentVariableNames.SourceQueueUrl,
                $"{EnvironmentVariableNames.SourceQueueUrl}='{sourceQueueUrl}' is not a queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>).");
        }

        return new FunctionSettings
        {
            OutageHold = TimeSpan.FromHours(reader.GetInt64(EnvironmentVariableNames.OutageHoldHours, DefaultOutageHoldHours, 0, 312)),
            RequeueDelay = TimeSpan.FromSeconds(requeueDelay),
            RequeueMaxDelay = TimeSpan.FromSeconds(requeueMaxDelay),
            SourceQueueUrl = sourceQueueUrl.Length > 0 ? sourceQueueUrl : null,
            Auth = auth,
            SigningService = service,
            Region = environment.Get(EnvironmentVariableNames.Region) is { Length: > 0 } region ? region : null,
            SsmParameterPrefix = prefix,
            ClusterName = clusterName,
            // 100 KiB is below any sensible bulk and 100 MiB is OpenSearch's default http.max_content_length.
            BulkMaxBytes = (int)reader.GetInt64(EnvironmentVariableNames.BulkMaxBytes, DefaultBulkMaxBytes, 100 * 1024, 100L * 1024 * 1024),
            CredentialsTtl = TimeSpan.FromSeconds(reader.GetInt64(EnvironmentVariableNames.CredentialsTtlSeconds, DefaultCredentialsTtlSeconds, 0, 86_400)),
        };
    }
}
