namespace Shared.Contract.Settings;

/// <summary>Every environment variable the functions read, in one place (docs/configuration.md lists them).</summary>
public static class EnvironmentVariableNames
{
    /// <summary>Prefix of the SSM parameters <c>host</c>, <c>user</c> and <c>password</c>.</summary>
    public const string SsmParameterPrefix = "SSM_PARAMETER_PREFIX";

    /// <summary>Cluster name where a message or log group does not carry one.</summary>
    public const string ClusterName = "CLUSTER_NAME";

    /// <summary>Prefix of the Kubernetes event indices.</summary>
    public const string EventsIndex = "EVENTS_INDEX";

    /// <summary>Prefix of the control-plane log indices.</summary>
    public const string ControlPlaneIndex = "CONTROL_PLANE_INDEX";

    /// <summary>The Kubernetes event reasons the indexer's <c>WarningEvents</c> metric names; others count as <c>Other</c>.</summary>
    public const string WarningMetricReasons = "WARNING_METRIC_REASONS";

    /// <summary>Largest <c>_bulk</c> body sent in one request, in bytes.</summary>
    public const string BulkMaxBytes = "BULK_MAX_BYTES";

    /// <summary>How long credentials read from SSM are reused, in seconds.</summary>
    public const string CredentialsTtlSeconds = "CREDENTIALS_TTL_SECONDS";

    /// <summary>How requests to OpenSearch are authenticated: <c>basic</c> (default) or <c>sigv4</c>.</summary>
    public const string OpenSearchAuth = "OPENSEARCH_AUTH";

    /// <summary>The SigV4 signing name: <c>es</c> (domains, default) or <c>aoss</c> (Serverless).</summary>
    public const string OpenSearchService = "OPENSEARCH_SERVICE";

    /// <summary>
    /// SetupFunction only: the name of its twin inside the domain's VPC, which does the OpenSearch work while this
    /// one, outside the VPC, answers CloudFormation (absent: it does the work itself).
    /// </summary>
    public const string SetupDelegateFunction = "SETUP_DELEGATE_FUNCTION";

    /// <summary>
    /// Hours a message (or control-plane delivery) that fails only for transient reasons is held by re-queuing it,
    /// counted from its first failure; past them it takes the queue's normal path to the dead-letter queue.
    /// </summary>
    public const string OutageHoldHours = "OUTAGE_HOLD_HOURS";

    /// <summary>Delay of the first re-queued copy, in seconds; each later copy waits twice as long.</summary>
    public const string RequeueDelaySeconds = "REQUEUE_DELAY_SECONDS";

    /// <summary>Longest delay of a re-queued copy, in seconds (SQS allows at most 900).</summary>
    public const string RequeueMaxDelaySeconds = "REQUEUE_MAX_DELAY_SECONDS";

    /// <summary>URL of the queue the function's event source mapping reads: where held messages are re-queued.</summary>
    public const string SourceQueueUrl = "SOURCE_QUEUE_URL";

    /// <summary>Host and port of the Lambda Runtime API; absent outside Lambda.</summary>
    public const string RuntimeApi = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>X-Ray trace header of the current invocation, set by the runtime loop.</summary>
    public const string TraceId = "_X_AMZN_TRACE_ID";

    /// <summary>The function's name, set by Lambda.</summary>
    public const string FunctionName = "AWS_LAMBDA_FUNCTION_NAME";

    /// <summary>The function's configured memory, set by Lambda.</summary>
    public const string FunctionMemorySize = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

    /// <summary>The function's version, set by Lambda.</summary>
    public const string FunctionVersion = "AWS_LAMBDA_FUNCTION_VERSION";

    /// <summary>The AWS region, set by Lambda and honoured by the AWS SDK.</summary>
    public const string Region = "AWS_REGION";

    /// <summary>The region when <see cref="Region"/> is not set (the AWS CLI's older name).</summary>
    public const string DefaultRegion = "AWS_DEFAULT_REGION";

    /// <summary>An endpoint for every AWS service (an emulator, a proxy); a service's own variable wins.</summary>
    public const string EndpointUrl = "AWS_ENDPOINT_URL";

    /// <summary>
    /// The start of a service's own endpoint variable: <c>AWS_ENDPOINT_URL_</c> + the service id in capitals
    /// with underscores (<c>AWS_ENDPOINT_URL_SSM</c>, <c>AWS_ENDPOINT_URL_SQS</c>).
    /// </summary>
    public const string EndpointUrlPrefix = "AWS_ENDPOINT_URL_";

    /// <summary><c>true</c> makes every configured endpoint variable ignored, as in the AWS SDKs.</summary>
    public const string IgnoreConfiguredEndpointUrls = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
}
