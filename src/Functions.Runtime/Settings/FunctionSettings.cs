using Shared.Contract.Settings;

namespace Functions.Runtime.Settings;

/// <summary>
/// The settings both functions share (docs/configuration.md), read and validated once at init so a
/// mistake is an init error that names the variable, not a failure on every message.
/// </summary>
public sealed record FunctionSettings
{
    /// <summary>Default largest bulk body: 5 MiB.</summary>
    public const int DefaultBulkMaxBytes = 5 * 1024 * 1024;

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
    public required OpenSearchAuth Auth { get; init; }

    /// <summary>The SigV4 signing name (<c>es</c> or <c>aoss</c>); used with <see cref="OpenSearchAuth.SigV4"/>.</summary>
    public required string SigningService { get; init; }

    /// <summary>The AWS region (AWS_REGION), for SigV4 when the endpoint's name does not carry one.</summary>
    public string? Region { get; init; }

    /// <summary>Default hold window: 72 hours, the buffer OpenSearch Ingestion keeps for an unavailable sink.</summary>
    public const int DefaultOutageHoldHours = 72;

    /// <summary>Longest hold window: 312 hours (13 days), so held copies stay within a queue's 14 days of retention.</summary>
    public const int MaxOutageHoldHours = 312;

    /// <summary>Default delay of the first re-queued copy.</summary>
    public const int DefaultRequeueDelaySeconds = 30;

    /// <summary>Default and largest delay of a re-queued copy: SQS's 15 minutes.</summary>
    public const int MaxRequeueDelaySeconds = 900;

    /// <summary>
    /// How long work failing only for transient reasons is held (OUTAGE_HOLD_HOURS); zero holds nothing, so every
    /// failure takes the queue's normal path to its dead-letter queue. At most 312 hours (13 days): the copies
    /// must stay within a queue's 14 days of retention.
    /// </summary>
    public required TimeSpan OutageHold { get; init; }

    /// <summary>Delay of the first re-queued copy (REQUEUE_DELAY_SECONDS); it doubles with each copy.</summary>
    public required TimeSpan RequeueDelay { get; init; }

    /// <summary>Longest delay of a re-queued copy (REQUEUE_MAX_DELAY_SECONDS).</summary>
    public required TimeSpan RequeueMaxDelay { get; init; }

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

    /// <summary>The first line of the init error that lists every bad setting.</summary>
    public const string ErrorHeading = "Invalid function settings (environment variables, docs/configuration.md):";

    /// <summary>Reads and validates the shared settings, reporting every bad one at once.</summary>
    /// <exception cref="ConfigurationException">A setting is invalid; the message names each one.</exception>
    public static FunctionSettings Load(IEnvironmentVariables environment)
    {
        var reader = new SettingsReader(environment);
        var settings = Read(reader);
        reader.ThrowIfInvalid(ErrorHeading);
        return settings;
    }

    /// <summary>
    /// Reads the shared settings through <paramref name="reader"/>, recording each problem there instead of throwing,
    /// so a function reading its own settings too can report them all with one <see cref="SettingsReader.ThrowIfInvalid"/>.
    /// A setting in error reads as its default.
    /// </summary>
    public static FunctionSettings Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var clusterName = reader.GetString(EnvironmentVariableNames.ClusterName, string.Empty);
        var prefix = reader.GetString(EnvironmentVariableNames.SsmParameterPrefix, string.Empty);
        if (prefix.Length == 0)
        {
            if (clusterName.Length == 0)
            {
                reader.AddError(
                    EnvironmentVariableNames.SsmParameterPrefix,
                    $"{EnvironmentVariableNames.SsmParameterPrefix} is not set and {EnvironmentVariableNames.ClusterName} is empty, so the default prefix {OpenSearchParameterPrefix.DefaultTemplate} cannot be formed: set one of them.");
            }

            prefix = OpenSearchParameterPrefix.DefaultFor(clusterName);
        }
        else if (!OpenSearchParameterPrefix.IsWellFormed(prefix))
        {
            reader.AddError(
                EnvironmentVariableNames.SsmParameterPrefix,
                $"{EnvironmentVariableNames.SsmParameterPrefix}='{prefix}' {OpenSearchParameterPrefix.Rule}.");
        }

        var auth = reader.GetChoice(EnvironmentVariableNames.OpenSearchAuth, "basic", AuthChoices);
        var service = reader.GetChoice(EnvironmentVariableNames.OpenSearchService, "es", ServiceChoices, "es (OpenSearch Service domains), aoss (OpenSearch Serverless)");

        var requeueDelay = reader.GetInt64(EnvironmentVariableNames.RequeueDelaySeconds, DefaultRequeueDelaySeconds, 1, MaxRequeueDelaySeconds);
        var requeueMaxDelay = reader.GetInt64(EnvironmentVariableNames.RequeueMaxDelaySeconds, MaxRequeueDelaySeconds, 1, MaxRequeueDelaySeconds);
        if (requeueMaxDelay < requeueDelay && !reader.HasError(EnvironmentVariableNames.RequeueDelaySeconds) && !reader.HasError(EnvironmentVariableNames.RequeueMaxDelaySeconds))
        {
            reader.AddError(
                EnvironmentVariableNames.RequeueMaxDelaySeconds,
                $"{EnvironmentVariableNames.RequeueMaxDelaySeconds}={requeueMaxDelay} is below {EnvironmentVariableNames.RequeueDelaySeconds}={requeueDelay}: the longest delay cannot be shorter than the first.");
        }

        var sourceQueueUrl = reader.GetHttpUri(EnvironmentVariableNames.SourceQueueUrl, "a queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)");
        return new FunctionSettings
        {
            OutageHold = TimeSpan.FromHours(reader.GetInt64(EnvironmentVariableNames.OutageHoldHours, DefaultOutageHoldHours, 0, MaxOutageHoldHours)),
            RequeueDelay = TimeSpan.FromSeconds(requeueDelay),
            RequeueMaxDelay = TimeSpan.FromSeconds(requeueMaxDelay),
            SourceQueueUrl = sourceQueueUrl?.OriginalString,
            Auth = auth,
            SigningService = service,
            Region = reader.GetOptional(EnvironmentVariableNames.Region),
            SsmParameterPrefix = prefix,
            ClusterName = clusterName,
            // 100 KiB is below any sensible bulk and 100 MiB is OpenSearch's default http.max_content_length.
            BulkMaxBytes = reader.GetInt32(EnvironmentVariableNames.BulkMaxBytes, DefaultBulkMaxBytes, 100 * 1024, 100 * 1024 * 1024),
            CredentialsTtl = TimeSpan.FromSeconds(reader.GetInt64(EnvironmentVariableNames.CredentialsTtlSeconds, DefaultCredentialsTtlSeconds, 0, 86_400)),
        };
    }

    private static readonly (string Text, OpenSearchAuth Value)[] AuthChoices = [("basic", OpenSearchAuth.Basic), ("sigv4", OpenSearchAuth.SigV4)];

    private static readonly (string Text, string Value)[] ServiceChoices = [("es", "es"), ("aoss", "aoss")];
}
