using System.Globalization;
using System.Text.RegularExpressions;
using Shared.Contract.Indices;
using Shared.Contract.Settings;

namespace Infra.Settings;

/// <summary>
/// Every CDK context key the app reads, with its default, parsed and validated in one place so that a
/// mistake fails the synth with the key's name instead of producing a stack that deploys and misbehaves.
/// docs/deploy.md lists the same keys; keep the two in step.
/// </summary>
public sealed partial class PipelineSettings
{
    /// <summary>Context keys, as users type them.</summary>
    public static class Keys
    {
        public const string ClusterName = "clusterName";
        public const string StackName = "stackName";
        public const string OpenSearchEndpoint = "openSearchEndpoint";
        public const string SsmParameterPrefix = "ssmParameterPrefix";
        public const string AlarmEmail = "alarmEmail";
        public const string Architecture = "architecture";
        public const string PrebuiltFunctionsDir = "prebuiltFunctionsDir";
        public const string EventsIndex = "eventsIndex";
        public const string ControlPlaneIndex = "controlPlaneIndex";
        public const string BulkMaxBytes = "bulkMaxBytes";
        public const string CredentialsTtlSeconds = "credentialsTtlSeconds";
        public const string IndexerTimeoutSeconds = "indexerTimeoutSeconds";
        public const string IndexerMemoryMb = "indexerMemoryMb";
        public const string IndexerBatchSize = "indexerBatchSize";
        public const string IndexerMaxBatchingWindowSeconds = "indexerMaxBatchingWindowSeconds";
        public const string IndexerMaxConcurrency = "indexerMaxConcurrency";
        public const string ControlPlaneTimeoutSeconds = "controlPlaneTimeoutSeconds";
        public const string ControlPlaneMemoryMb = "controlPlaneMemoryMb";
        public const string LogRetentionDays = "logRetentionDays";
        public const string MaxMessageAgeSeconds = "maxMessageAgeSeconds";
        public const string CollectorSilenceMinutes = "collectorSilenceMinutes";
        public const string CollectorMaxMessageBytes = "collectorMaxMessageBytes";
        public const string DeployCollector = "deployCollector";
        public const string KubectlRoleArn = "kubectlRoleArn";
        public const string CollectorNamespace = "collectorNamespace";
        public const string CollectorImage = "collectorImage";
        public const string CollectorArchitecture = "collectorArchitecture";
        public const string CollectorIdentity = "collectorIdentity";
        public const string OidcProviderArn = "oidcProviderArn";
        public const string CollectorManifestTemplate = "collectorManifestTemplate";
        public const string CollectorManifestPath = "collectorManifestPath";
        public const string OpenSearchAuth = "openSearchAuth";
        public const string OpenSearchService = "openSearchService";
        public const string OpenSearchResourceArn = "openSearchResourceArn";
        public const string OpenSearchCollectionName = "openSearchCollectionName";
        public const string VpcSubnetIds = "vpcSubnetIds";
        public const string VpcSecurityGroupIds = "vpcSecurityGroupIds";
        public const string VpcId = "vpcId";
        public const string VpcSsmEndpoint = "vpcSsmEndpoint";
        public const string EventsRetentionDays = "eventsRetentionDays";
        public const string ControlPlaneRetentionDays = "controlPlaneRetentionDays";
        public const string OpenSearchSetup = "openSearchSetup";
        public const string EnableControlPlaneLogs = "enableControlPlaneLogs";
        public const string WarningReasons = "warningReasons";
        public const string WarningAlarms = "warningAlarms";
        public const string OutageHoldHours = "outageHoldHours";
    }

    /// <summary>The collector's Kubernetes service account (fixed: the manifests and the IAM trust both name it).</summary>
    public const string CollectorServiceAccount = "eks-history-collector";

    /// <summary>SQS's limit on one message since 2025 (and the collector's upper bound).</summary>
    public const int MaxSqsMessageBytes = 1024 * 1024;

    // Lambda's limits for an SQS event source on a standard queue.
    private const int MaxSqsBatchSize = 10_000;

    // Share of BULK_MAX_BYTES that packed queue messages may fill: the bulk body adds an action line and
    // clusterName/@timestamp per event to the message bytes, so a batch sized at 100 % would split.
    private const double BulkHeadroom = 0.8;

    private static readonly int[] AllowedRetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private PipelineSettings()
    {
    }

    public required string ClusterName { get; init; }
    public required string StackName { get; init; }
    public string? OpenSearchEndpoint { get; init; }
    public required string SsmParameterPrefix { get; init; }
    public string? AlarmEmail { get; init; }

    /// <summary>The functions' architecture (context key architecture): x86_64 by default, or arm64 (Graviton).</summary>
    public required TargetArchitecture Architecture { get; init; }

    public string? PrebuiltFunctionsDir { get; init; }
    public required string EventsIndex { get; init; }
    public required string ControlPlaneIndex { get; init; }
    public required int BulkMaxBytes { get; init; }
    public required int CredentialsTtlSeconds { get; init; }
    public required int IndexerTimeoutSeconds { get; init; }
    public required int IndexerMemoryMb { get; init; }
    public required int IndexerBatchSize { get; init; }
    public required int IndexerMaxBatchingWindowSeconds { get; init; }
    public required int IndexerMaxConcurrency { get; init; }
    public required int ControlPlaneTimeoutSeconds { get; init; }
    public required int ControlPlaneMemoryMb { get; init; }
    public required int LogRetentionDays { get; init; }
    public required int MaxMessageAgeSeconds { get; init; }
    public required int CollectorSilenceMinutes { get; init; }
    public required int CollectorMaxMessageBytes { get; init; }
    public required bool DeployCollector { get; init; }
    public string? KubectlRoleArn { get; init; }
    public required string CollectorNamespace { get; init; }
    public string? CollectorImage { get; init; }

    /// <summary>
    /// The node architectures the collector's image runs on (context key collectorArchitecture): one, which
    /// is also the platform of the image the stack builds, or both for a multi-arch collectorImage.
    /// </summary>
    public required IReadOnlyList<TargetArchitecture> CollectorArchitectures { get; init; }
    public required CollectorIdentity CollectorIdentity { get; init; }
    public string? OidcProviderArn { get; init; }
    public string? CollectorManifestTemplate { get; init; }
    public string? CollectorManifestPath { get; init; }

    /// <summary>True: the functions sign requests with SigV4 (OPENSEARCH_AUTH=sigv4) instead of basic auth.</summary>
    public required bool SigV4 { get; init; }

    /// <summary>The SigV4 signing name: es (OpenSearch Service) or aoss (Serverless).</summary>
    public required string OpenSearchService { get; init; }

    /// <summary>The domain or collection ARN the functions may call with SigV4.</summary>
    public string? OpenSearchResourceArn { get; init; }

    /// <summary>With aoss: the collection's name, which its data access policy's rules name (the ARN carries its id).</summary>
    public string? OpenSearchCollectionName { get; init; }

    /// <summary>True for OpenSearch Serverless (openSearchService=aoss).</summary>
    public bool Serverless => OpenSearchService == "aoss";

    /// <summary>The functions' place in the domain's VPC, or null to run them outside any VPC.</summary>
    public VpcPlacement? Vpc { get; init; }

    /// <summary>Days an events index is kept (ISM on a domain, deletion on Serverless).</summary>
    public required int EventsRetentionDays { get; init; }

    /// <summary>Days a control-plane index is kept.</summary>
    public required int ControlPlaneRetentionDays { get; init; }

    /// <summary>True: the deploy installs templates, retention and dashboards (the Custom::OpenSearchSetup resource).</summary>
    public required bool OpenSearchSetup { get; init; }

    /// <summary>True: the deploy turns on the five control-plane log types (the Custom::ClusterLogging resource).</summary>
    public required bool EnableControlPlaneLogs { get; init; }

    /// <summary>
    /// The reasons the indexer's WarningEvents metric names (context key warningReasons, the function's
    /// WARNING_METRIC_REASONS); null for the function's default list.
    /// </summary>
    public IReadOnlyList<string>? WarningReasons { get; init; }

    /// <summary>
    /// Alarms on WarningEvents of this cluster (context key warningAlarms, <c>Reason=threshold,...</c>): each fires
    /// when more than its threshold of Warning events with that reason arrive in 5 minutes. None by default.
    /// </summary>
    public required IReadOnlyList<(string Reason, int Threshold)> WarningAlarms { get; init; }

    /// <summary>
    /// OUTAGE_HOLD_HOURS of both functions: how long work failing only because the domain is unavailable is held by
    /// re-queuing it before it takes the normal path to a dead-letter queue (docs/reliability.md).
    /// </summary>
    public required int OutageHoldHours { get; init; }

    /// <summary>
    /// The events queue's retention: four days, or the hold window and a day more when that is longer, so that a
    /// message waiting behind a long outage cannot expire before it is held or stored.
    /// </summary>
    public int EventsQueueRetentionHours => Math.Max(4 * 24, OutageHoldHours + 24);

    /// <summary>
    /// The queue's visibility timeout. AWS asks for at least six times the function timeout (plus the
    /// batching window) so that a message is not handed to a second invocation while throttled retries of
    /// the first are still under way.
    /// </summary>
    public int QueueVisibilityTimeoutSeconds => (6 * IndexerTimeoutSeconds) + IndexerMaxBatchingWindowSeconds;

    /// <summary>The first line of the error that lists every bad key.</summary>
    public const string ErrorHeading = "Invalid CDK context (docs/deploy.md lists every key):";

    /// <summary>Reads and validates every key from a context lookup (<c>Node.TryGetContext</c>), reporting every bad one at once.</summary>
    /// <exception cref="ConfigurationException">A key is invalid or missing; the message names each one.</exception>
    public static PipelineSettings FromContext(Func<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = new SettingsReader(new CdkContextSource(context));

        var clusterName = reader.GetOptional(Keys.ClusterName);
        if (clusterName is null)
        {
            reader.AddError(Keys.ClusterName, "is required: the name of the existing EKS cluster whose history to keep.");
        }
        else if (!ClusterNamePattern().IsMatch(clusterName))
        {
            reader.AddError(Keys.ClusterName, $"'{clusterName}' is not an EKS cluster name (letters, digits, '-' and '_', at most 100, starting with a letter or digit).");
        }

        var prefix = reader.GetOptional(Keys.SsmParameterPrefix) ?? OpenSearchParameterPrefix.DefaultFor(clusterName ?? string.Empty);
        if (!OpenSearchParameterPrefix.IsWellFormed(prefix))
        {
            reader.AddError(Keys.SsmParameterPrefix, $"'{prefix}' {OpenSearchParameterPrefix.Rule}.");
        }

        var architectureName = reader.GetOptional(Keys.Architecture) ?? TargetArchitecture.X86_64.Name;
        var architecture = TargetArchitecture.FromName(architectureName)
            ?? Refuse(reader, Keys.Architecture, $"'{architectureName}' is not one of x86_64, arm64.", TargetArchitecture.X86_64);
        var collectorImage = reader.GetOptional(Keys.CollectorImage);
        var collectorArchitectures = CollectorArchitecturesFrom(reader, reader.GetOptional(Keys.CollectorArchitecture), architecture, collectorImage);

        var bulkMaxBytes = reader.GetInt32(Keys.BulkMaxBytes, 5 * 1024 * 1024, 64 * 1024, 100 * 1024 * 1024);
        var messageBytes = reader.GetInt32(Keys.CollectorMaxMessageBytes, 64 * 1024, 1024, MaxSqsMessageBytes);
        var defaultBatch = Math.Clamp((int)(bulkMaxBytes * BulkHeadroom / messageBytes), 1, MaxSqsBatchSize);
        var batchSize = reader.GetInt32(Keys.IndexerBatchSize, defaultBatch, 1, MaxSqsBatchSize);
        var window = reader.GetInt32(Keys.IndexerMaxBatchingWindowSeconds, 5, 0, 300);
        if (batchSize > 10 && window == 0 && !reader.HasError(Keys.IndexerBatchSize))
        {
            // Lambda rejects a batch size above 10 without a batching window.
            reader.AddError(Keys.IndexerMaxBatchingWindowSeconds, $"must be at least 1 when {Keys.IndexerBatchSize} is above 10 (it is {batchSize}).");
        }

        var indexerTimeout = reader.GetInt32(Keys.IndexerTimeoutSeconds, 60, 5, 900);
        if ((6 * indexerTimeout) + window > 43_200 && !reader.HasError(Keys.IndexerTimeoutSeconds))
        {
            reader.AddError(Keys.IndexerTimeoutSeconds, "is too long: six times it plus the batching window must fit SQS's 12-hour visibility timeout.");
        }

        var retention = reader.GetInt32(Keys.LogRetentionDays, 30, 1, 3653);
        if (Array.IndexOf(AllowedRetentionDays, retention) < 0 && !reader.HasError(Keys.LogRetentionDays))
        {
            reader.AddError(Keys.LogRetentionDays, $"{retention} is not a CloudWatch Logs retention ({string.Join(", ", AllowedRetentionDays)}).");
        }

        var identityText = reader.GetOptional(Keys.CollectorIdentity) ?? "pod-identity";
        var identity = identityText switch
        {
            "pod-identity" => CollectorIdentity.PodIdentity,
            "irsa" => CollectorIdentity.Irsa,
            _ => Refuse(reader, Keys.CollectorIdentity, $"'{identityText}' is not one of pod-identity, irsa.", CollectorIdentity.PodIdentity),
        };
        var oidcProviderArn = reader.GetOptional(Keys.OidcProviderArn);
        if (identity == CollectorIdentity.Irsa && (oidcProviderArn is null || !oidcProviderArn.Contains(":oidc-provider/", StringComparison.Ordinal)))
        {
            reader.AddError(Keys.OidcProviderArn, "is required with collectorIdentity=irsa: the cluster's IAM OIDC provider ARN (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>).");
        }

        var deployCollector = reader.GetBool(Keys.DeployCollector, false);
        var kubectlRoleArn = reader.GetOptional(Keys.KubectlRoleArn);
        if (deployCollector && kubectlRoleArn is null)
        {
            reader.AddError(Keys.KubectlRoleArn, "is required with deployCollector=true: an IAM role in the cluster's system:masters (or with rights to create the collector's objects) that CDK's kubectl handler assumes.");
        }

        var email = reader.GetOptional(Keys.AlarmEmail);
        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
        {
            reader.AddError(Keys.AlarmEmail, $"'{email}' is not an e-mail address.");
        }

        var ns = reader.GetOptional(Keys.CollectorNamespace) ?? "eks-history";
        if (!KubernetesNamePattern().IsMatch(ns))
        {
            reader.AddError(Keys.CollectorNamespace, $"'{ns}' is not a Kubernetes namespace name (RFC 1123 label).");
        }

        var auth = reader.GetOptional(Keys.OpenSearchAuth) ?? "basic";
        if (auth is not ("basic" or "sigv4"))
        {
            reader.AddError(Keys.OpenSearchAuth, $"'{auth}' is not one of basic, sigv4.");
            auth = "basic";
        }

        var service = reader.GetOptional(Keys.OpenSearchService) ?? "es";
        if (service is not ("es" or "aoss"))
        {
            reader.AddError(Keys.OpenSearchService, $"'{service}' is not one of es, aoss.");
            service = "es";
        }

        var resourceArn = reader.GetOptional(Keys.OpenSearchResourceArn);
        var expectedArn = service == "es" ? ":es:" : ":aoss:";
        if (auth == "sigv4" && (resourceArn is null || !resourceArn.Contains(expectedArn, StringComparison.Ordinal)))
        {
            reader.AddError(Keys.OpenSearchResourceArn, service == "es"
                ? "is required with openSearchAuth=sigv4: the domain ARN (arn:aws:es:<region>:<account>:domain/<name>)."
                : "is required with openSearchAuth=sigv4 and openSearchService=aoss: the collection ARN (arn:aws:aoss:<region>:<account>:collection/<id>).");
        }

        if (service == "aoss" && auth != "sigv4")
        {
            reader.AddError(Keys.OpenSearchAuth, "must be sigv4 with openSearchService=aoss: OpenSearch Serverless accepts only SigV4-signed requests. Pass -c openSearchAuth=sigv4 and the collection's ARN as openSearchResourceArn.");
        }

        var collectionName = reader.GetOptional(Keys.OpenSearchCollectionName);
        if (service == "aoss" && (collectionName is null || !CollectionNamePattern().IsMatch(collectionName)))
        {
            reader.AddError(Keys.OpenSearchCollectionName, collectionName is null
                ? "is required with openSearchService=aoss: the collection's name (its data access policy names it; the ARN carries only its id)."
                : $"'{collectionName}' is not a collection name (3-32 of a-z, 0-9 and '-', starting with a letter).");
        }

        var vpc = VpcFrom(reader);

        var warningReasons = WarningReasonsFrom(reader, reader.GetOptional(Keys.WarningReasons));
        var warningAlarms = WarningAlarmsFrom(reader, reader.GetOptional(Keys.WarningAlarms), warningReasons ?? Shared.Contract.WarningMetric.DefaultReasons);

        var stackName = reader.GetOptional(Keys.StackName) ?? "EksHistory";
        if (!StackNamePattern().IsMatch(stackName))
        {
            reader.AddError(Keys.StackName, $"'{stackName}' is not a CloudFormation stack name.");
        }

        var settings = new PipelineSettings
        {
            ClusterName = clusterName ?? string.Empty,
            StackName = stackName,
            OpenSearchEndpoint = reader.GetOptional(Keys.OpenSearchEndpoint),
            SsmParameterPrefix = prefix,
            AlarmEmail = email,
            Architecture = architecture,
            PrebuiltFunctionsDir = reader.GetOptional(Keys.PrebuiltFunctionsDir),
            EventsIndex = reader.GetOptional(Keys.EventsIndex) ?? IndexPrefixes.KubernetesEvents,
            ControlPlaneIndex = reader.GetOptional(Keys.ControlPlaneIndex) ?? IndexPrefixes.ControlPlaneLogs,
            BulkMaxBytes = bulkMaxBytes,
            CredentialsTtlSeconds = reader.GetInt32(Keys.CredentialsTtlSeconds, 300, 0, 86_400),
            IndexerTimeoutSeconds = indexerTimeout,
            IndexerMemoryMb = reader.GetInt32(Keys.IndexerMemoryMb, 512, 128, 10_240),
            IndexerBatchSize = batchSize,
            IndexerMaxBatchingWindowSeconds = window,
            IndexerMaxConcurrency = reader.GetInt32(Keys.IndexerMaxConcurrency, 2, 2, 1000),
            ControlPlaneTimeoutSeconds = reader.GetInt32(Keys.ControlPlaneTimeoutSeconds, 60, 5, 900),
            ControlPlaneMemoryMb = reader.GetInt32(Keys.ControlPlaneMemoryMb, 256, 128, 10_240),
            LogRetentionDays = retention,
            MaxMessageAgeSeconds = reader.GetInt32(Keys.MaxMessageAgeSeconds, 900, 60, 345_600),
            // At least three of the collector's 5-minute heartbeats per alarm period, so one late heartbeat cannot page.
            CollectorSilenceMinutes = reader.GetInt32(Keys.CollectorSilenceMinutes, 30, 15, 1440),
            CollectorMaxMessageBytes = messageBytes,
            DeployCollector = deployCollector,
            KubectlRoleArn = kubectlRoleArn,
            CollectorNamespace = ns,
            CollectorImage = collectorImage,
            CollectorArchitectures = collectorArchitectures,
            CollectorIdentity = identity,
            OidcProviderArn = oidcProviderArn,
            CollectorManifestTemplate = reader.GetOptional(Keys.CollectorManifestTemplate),
            CollectorManifestPath = reader.GetOptional(Keys.CollectorManifestPath),
            SigV4 = auth == "sigv4",
            OpenSearchService = service,
            OpenSearchResourceArn = resourceArn,
            OpenSearchCollectionName = collectionName,
            Vpc = vpc,
            // The setup's own defaults (DomainSetup SetupOptions); ten years is the longest either side accepts.
            EventsRetentionDays = reader.GetInt32(Keys.EventsRetentionDays, 30, 1, 3650),
            ControlPlaneRetentionDays = reader.GetInt32(Keys.ControlPlaneRetentionDays, 14, 1, 3650),
            OpenSearchSetup = reader.GetBool(Keys.OpenSearchSetup, true),
            EnableControlPlaneLogs = reader.GetBool(Keys.EnableControlPlaneLogs, false),
            WarningReasons = warningReasons,
            WarningAlarms = warningAlarms,
            // At most 13 days: the queues keep messages 14 days at most, and a held copy must outlive the window.
            OutageHoldHours = reader.GetInt32(Keys.OutageHoldHours, 72, 0, 312),
        };
        reader.ThrowIfInvalid(ErrorHeading);
        return settings;
    }

    /// <summary>Records <paramref name="problem"/> with <paramref name="key"/> and carries on with <paramref name="fallback"/>, so later keys are still checked.</summary>
    private static T Refuse<T>(SettingsReader reader, string key, string problem, T fallback)
    {
        reader.AddError(key, problem);
        return fallback;
    }

    private static VpcPlacement? VpcFrom(SettingsReader reader)
    {
        var subnets = reader.GetList(Keys.VpcSubnetIds);
        var groups = reader.GetList(Keys.VpcSecurityGroupIds);
        var vpcId = reader.GetOptional(Keys.VpcId);
        var ssmEndpoint = reader.GetBool(Keys.VpcSsmEndpoint, false);
        if (subnets.Count == 0)
        {
            // Without subnets nothing is placed in a VPC; a lone VPC key is a half-finished configuration.
            foreach (var (key, given) in new[] { (Keys.VpcSecurityGroupIds, groups.Count > 0), (Keys.VpcId, vpcId is not null), (Keys.VpcSsmEndpoint, ssmEndpoint) })
            {
                if (given)
                {
                    reader.AddError(Keys.VpcSubnetIds, $"is required with {key}: the comma-separated private subnet ids the functions run in (subnet-..., in two or more availability zones).");
                    return null;
                }
            }

            return null;
        }

        foreach (var subnet in subnets.Where(s => !SubnetIdPattern().IsMatch(s)))
        {
            reader.AddError(Keys.VpcSubnetIds, $"'{subnet}' is not a subnet id (subnet-0123abcd...).");
        }

        foreach (var group in groups.Where(g => !SecurityGroupIdPattern().IsMatch(g)))
        {
            reader.AddError(Keys.VpcSecurityGroupIds, $"'{group}' is not a security group id (sg-0123abcd...).");
        }

        if (vpcId is not null && !VpcIdPattern().IsMatch(vpcId))
        {
            reader.AddError(Keys.VpcId, $"'{vpcId}' is not a VPC id (vpc-0123abcd...).");
        }

        if (vpcId is null && (groups.Count == 0 || ssmEndpoint))
        {
            reader.AddError(Keys.VpcId, groups.Count == 0
                ? $"is required with {Keys.VpcSubnetIds} unless {Keys.VpcSecurityGroupIds} is given: the stack creates the functions' security group (HTTPS out) in it."
                : $"is required with {Keys.VpcSsmEndpoint}=true: the endpoint is created in it.");
        }

        return new VpcPlacement { SubnetIds = subnets, SecurityGroupIds = groups, VpcId = vpcId, SsmEndpoint = ssmEndpoint };
    }

    private static IReadOnlyList<string>? WarningReasonsFrom(SettingsReader reader, string? value)
    {
        if (value is null)
        {
            return null;
        }

        // The function reads WARNING_METRIC_REASONS with the same rule: a list it would refuse is refused here,
        // before a deploy whose indexer could not start.
        var reasons = Shared.Contract.WarningMetric.ParseReasons(value, out var problem);
        return problem is null ? reasons : Refuse<IReadOnlyList<string>?>(reader, Keys.WarningReasons, problem, null);
    }

    private static IReadOnlyList<(string Reason, int Threshold)> WarningAlarmsFrom(SettingsReader reader, string? value, IReadOnlyList<string> reasons)
    {
        var alarms = new List<(string Reason, int Threshold)>();
        foreach (var entry in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var reason = equals < 0 ? entry : entry[..equals].Trim();
            if (equals < 0 || !int.TryParse(entry[(equals + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var threshold) || threshold < 0)
            {
                reader.AddError(Keys.WarningAlarms, $"'{entry}' is not Reason=threshold (a reason and a whole number of events per 5 minutes, e.g. FailedScheduling=10).");
                continue;
            }

            if (reason != Shared.Contract.WarningMetric.Other && !reasons.Contains(reason, StringComparer.Ordinal))
            {
                reader.AddError(Keys.WarningAlarms, $"'{reason}' is not one of the reasons the WarningEvents metric names, so its alarm could never fire: add it to {Keys.WarningReasons} (the reasons now: {string.Join(",", reasons)}), or alarm on Other.");
                continue;
            }

            if (alarms.Exists(a => a.Reason == reason))
            {
                reader.AddError(Keys.WarningAlarms, $"names '{reason}' twice.");
                continue;
            }

            alarms.Add((reason, threshold));
        }

        return alarms;
    }

    private static IReadOnlyList<TargetArchitecture> CollectorArchitecturesFrom(SettingsReader reader, string? value, TargetArchitecture functions, string? image)
    {
        // By default the collector follows the functions: one architecture to choose for the whole pipeline.
        if (value is null)
        {
            return [functions];
        }

        if (value == "multi")
        {
            // CDK's image asset builds one platform; a multi-arch image has to come from buildx.
            return image is not null
                ? TargetArchitecture.All
                : Refuse(reader, Keys.CollectorArchitecture, $"'multi' needs {Keys.CollectorImage}: the image the stack builds has one platform. Build and push a multi-arch image with `docker buildx build --platform linux/amd64,linux/arm64 -f src/Collector/Dockerfile -t <repository>:<tag> --push .` and pass it as {Keys.CollectorImage}.", (IReadOnlyList<TargetArchitecture>)[functions]);
        }

        var single = TargetArchitecture.FromName(value)
            ?? Refuse(reader, Keys.CollectorArchitecture, $"'{value}' is not one of x86_64, arm64, multi.", functions);
        return [single];
    }

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex ClusterNamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex KubernetesNamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,127}$")]
    private static partial Regex StackNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{2,31}$")]
    private static partial Regex CollectionNamePattern();

    [GeneratedRegex("^subnet-[0-9a-f]{8,17}$")]
    private static partial Regex SubnetIdPattern();

    [GeneratedRegex("^sg-[0-9a-f]{8,17}$")]
    private static partial Regex SecurityGroupIdPattern();

    [GeneratedRegex("^vpc-[0-9a-f]{8,17}$")]
    private static partial Regex VpcIdPattern();
}
