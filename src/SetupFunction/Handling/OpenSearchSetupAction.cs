using Amazon.Runtime;
using DomainSetup.Assets;
using DomainSetup.OpenSearch;
using DomainSetup.Setup;
using Microsoft.Extensions.Logging;
using SetupFunction.Settings;
using Shared.Aws;
using Shared.Contract.Settings;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;

namespace SetupFunction.Handling;

/// <summary>
/// Runs the OpenSearch setup (DomainSetup, the code tools/OpenSearchSetup runs) within a time budget and turns every
/// way it can end into an <see cref="ActionOutcome"/>, never an exception: a domain not reachable yet, a password not
/// yet in SSM or refused, a collection that says no. The deploy must not roll back the whole pipeline for those,
/// because the functions install the index templates themselves before their first write and the command installs
/// the rest once the cause is fixed; the outcome's message says exactly that.
/// </summary>
public sealed partial class OpenSearchSetupAction(
    SetupFunctionSettings settings,
    IEnvironmentVariables environment,
    AWSCredentials awsCredentials,
    HttpClient http,
    TimeProvider time,
    ILoggerFactory loggers) : IOpenSearchSetup
{
    private readonly ILogger _logger = loggers.CreateLogger<OpenSearchSetupAction>();

    /// <inheritdoc />
    public Task<ActionOutcome> RunAsync(SetupCommandRequest request, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SetupProperties properties;
        try
        {
            properties = SetupProperties.From(request.Properties, settings.Serverless);
        }
        catch (FormatException ex)
        {
            LogNotDone(_logger, request.Command ?? string.Empty, ex.Message, string.Empty);
            return Task.FromResult(new ActionOutcome { Status = ActionOutcome.NotDone, Message = ex.Message });
        }

        return RunAsync(request.Command ?? SetupCommandRequest.Setup, properties, budget, cancellationToken);
    }

    /// <summary>Installs everything (<see cref="SetupCommandRequest.Setup"/>) or only deletes expired indices (<see cref="SetupCommandRequest.Retention"/>).</summary>
    public async Task<ActionOutcome> RunAsync(string command, SetupProperties properties, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(properties);
        using var timer = new CancellationTokenSource(budget, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var output = new StringWriter();
        var rerun = $"Run `dotnet run --project tools/OpenSearchSetup -- --ssm-parameter-prefix {properties.SsmParameterPrefix}{(settings.Serverless ? " --auth sigv4 --service aoss" : string.Empty)}` once that is fixed, or update the stack.";
        const string FunctionsCover = "The functions install the index templates before their first write.";
        try
        {
            using var ssm = AwsJsonClient.Create(AwsService.Ssm, environment, awsCredentials, time);
            IRequestAuthenticator authenticator = settings.Auth == OpenSearchAuth.SigV4
                ? new SigV4RequestAuthenticator(awsCredentials, settings.SigningService, settings.Region, time)
                : BasicRequestAuthenticator.Instance;
            var credentials = new SsmCredentialsSource(ssm, properties.SsmParameterPrefix, TimeSpan.FromMinutes(5), time, new Logger<SsmCredentialsSource>(loggers), readLogin: authenticator.NeedsLogin);
            var runner = new SetupRunner(credentials, authenticator, http, EmbeddedSetupAssets.Instance, time, output);
            if (command == SetupCommandRequest.Retention)
            {
                var deleted = await runner.DeleteExpiredAsync(properties.Options, deadline.Token);
                LogDone(_logger, command, output.ToString());
                return new ActionOutcome { Status = ActionOutcome.Done, Message = deleted.Count == 0 ? "No expired indices." : $"Deleted expired indices: {string.Join(", ", deleted)}." };
            }

            var steps = await runner.RunAsync(properties.Options, deadline.Token);
            LogDone(_logger, command, output.ToString());
            var warnings = steps.Where(s => s.Outcome == StepOutcome.Warning).ToList();
            var summary = string.Join("; ", steps.Select(s => s.ToString()));
            return new ActionOutcome
            {
                Status = warnings.Count == 0 ? ActionOutcome.Done : ActionOutcome.Warning,
                Message = $"Installed: {summary}.",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NotDone($"The domain did not answer within {budget.TotalSeconds:0} s (not reachable from the setup function: in a VPC, the domain's security group must allow HTTPS from the functions' security group). {FunctionsCover} {rerun}", output);
        }
        catch (ConfigurationException ex)
        {
            // A missing parameter: the normal state right after the first deploy, before the two SecureStrings are set.
            return NotDone($"{ex.Message} {FunctionsCover} {rerun}", output);
        }
        catch (CredentialsRefusedException ex)
        {
            return NotDone($"{ex.Message} {FunctionsCover} {rerun}", output);
        }
        catch (HttpRequestException ex)
        {
            return NotDone($"Cannot reach the domain: {ex.Message}{(ex.InnerException is null ? string.Empty : " (" + ex.InnerException.Message + ")")}. {FunctionsCover} {rerun}", output);
        }
        catch (Exception ex) when (ex is AwsServiceException or AmazonClientException or InvalidOperationException or FormatException or IOException or System.Text.Json.JsonException)
        {
            return NotDone($"{ex.Message} {FunctionsCover} {rerun}", output);
        }

        ActionOutcome NotDone(string message, StringWriter progress)
        {
            LogNotDone(_logger, command, message, progress.ToString());
            return new ActionOutcome { Status = ActionOutcome.NotDone, Message = message };
        }
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "OpenSearch {Command} done: {Progress}")]
    private static partial void LogDone(ILogger logger, string command, string progress);

    [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "OpenSearch {Command} not done: {Reason}; progress: {Progress}")]
    private static partial void LogNotDone(ILogger logger, string command, string reason, string progress);
}
