using Amazon.Runtime;
using Functions.Runtime;
using Microsoft.Extensions.Logging;
using SetupFunction.CustomResources;
using SetupFunction.Handling;
using SetupFunction.Settings;
using Shared.Aws;

namespace SetupFunction;

/// <summary>
/// Builds the handler once per process. Unlike the other two functions it reads nothing from SSM at init: a
/// missing password must not fail the deploy, so the parameters are read per request and a missing one
/// becomes the request's outcome.
/// </summary>
public static class SetupStartup
{
    /// <summary>How long a synchronous call to the VPC twin may take (its timeout is shorter).</summary>
    public static readonly TimeSpan DelegateTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Initializes the function; a fault here is an init error that names the setting at fault.</summary>
    public static Task<ILambdaHandler> InitializeAsync(FunctionStartup startup, CancellationToken cancellationToken) =>
        Task.FromResult(Create(startup, new DefaultChainCredentials()));

    /// <summary>Builds the handler with <paramref name="credentials"/> for every AWS call (in Lambda, the execution role's).</summary>
    public static ILambdaHandler Create(FunctionStartup startup, AWSCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(startup);
        var settings = SetupFunctionSettings.Load(startup.Environment);
        var loggers = startup.LoggerFactory;
        // One client for OpenSearch and the ResponseURL: each OpenSearch call is bounded by the request's budget,
        // a connection attempt by ConnectTimeout, so an unreachable domain ends in seconds, not at Lambda's timeout.
        var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

        IOpenSearchSetup openSearch = settings.DelegateFunction is { } twin
            ? new DelegatedSetup(
                new LambdaInvoker(AwsRestJsonClient.Create(AwsService.Lambda, startup.Environment, credentials, startup.Time, DelegateTimeout)),
                twin,
                startup.Time,
                new Logger<DelegatedSetup>(loggers))
            : new OpenSearchSetupAction(settings, startup.Environment, credentials, http, startup.Time, loggers);
        // The EKS and Logs clients are made on first use: a function that only sets up OpenSearch needs neither.
        var clusterLogging = new LazyClusterLogging(() => new ClusterLoggingAction(
            new EksClusterLogging(AwsRestJsonClient.Create(AwsService.Eks, startup.Environment, credentials, startup.Time, AwsJsonClient.RequestTimeout)),
            new LogsLogGroups(AwsJsonClient.Create(AwsService.Logs, startup.Environment, credentials, startup.Time)),
            startup.Time,
            new Logger<ClusterLoggingAction>(loggers)));
        return new SetupHandler(
            openSearch,
            clusterLogging,
            new CustomResourceResponder(http, startup.Time, new Logger<CustomResourceResponder>(loggers)),
            new Logger<SetupHandler>(loggers));
    }
}
