using Microsoft.Extensions.Logging;
using Shared.Aws;
using Shared.Contract.Settings;

namespace Shared.OpenSearch.Credentials;

/// <summary>
/// Reads <c>&lt;prefix&gt;/host</c> (String), <c>&lt;prefix&gt;/user</c> and <c>&lt;prefix&gt;/password</c>
/// (SecureString) with one <c>GetParameters</c> call with decryption, and caches them for the TTL.
/// </summary>
/// <remarks>
/// The call goes through <see cref="AwsJsonClient"/>, not the AWS SDK's SSM client, whose initialization was
/// most of a Native AOT function's init time (docs/performance.md). The retries the SDK made are made here:
/// throttling up to <see cref="MaxThrottleRetries"/> times, a 5xx, a timeout or a broken connection up to
/// <see cref="MaxTransientRetries"/> times, with capped, jittered exponential backoff.
/// </remarks>
public sealed partial class SsmCredentialsSource : ICredentialsSource
{
    /// <summary>How many times a throttled read is tried again.</summary>
    public const int MaxThrottleRetries = 5;

    /// <summary>How many times a read that failed on SSM's side or on the network is tried again (the SDKs' standard mode tries 3 times in all).</summary>
    public const int MaxTransientRetries = 2;

    /// <summary>The delay between reads: 100 ms for the first retry, doubling up to 2 s, with jitter.</summary>
    public static Backoff RetryBackoff { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));

    private readonly AwsJsonClient _ssm;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _readLogin;
    private OpenSearchCredentials? _current;
    private DateTimeOffset _expires;

    /// <summary>A source that reads the OpenSearch parameters under <paramref name="prefix"/> from SSM on first use and again once <paramref name="ttl"/> has passed.</summary>
    /// <param name="ssm">A client for SSM (<see cref="AwsService.Ssm"/>).</param>
    /// <param name="prefix">The parameter prefix.</param>
    /// <param name="ttl">How long values are reused.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="readLogin">False with SigV4: only <c>host</c> is read; no user or password is needed.</param>
    public SsmCredentialsSource(AwsJsonClient ssm, string prefix, TimeSpan ttl, TimeProvider time, ILogger<SsmCredentialsSource> logger, bool readLogin = true)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        ArgumentNullException.ThrowIfNull(prefix);
        if (ssm.Service != AwsService.Ssm)
        {
            throw new ArgumentException($"The client calls {ssm.Service}, not SSM.", nameof(ssm));
        }

        _readLogin = readLogin;
        _ssm = ssm;
        _ttl = ttl;
        _time = time;
        _logger = logger;
        Prefix = prefix;
        HostParameter = prefix + "/host";
        UserParameter = prefix + "/user";
        PasswordParameter = prefix + "/password";
    }

    /// <summary>The parameter prefix.</summary>
    public string Prefix { get; }

    /// <summary>Name of the endpoint parameter.</summary>
    public string HostParameter { get; }

    /// <summary>Name of the user parameter.</summary>
    public string UserParameter { get; }

    /// <summary>Name of the password parameter.</summary>
    public string PasswordParameter { get; }

    /// <summary>How many times SSM was read; for tests and metrics.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc />
    public async ValueTask<OpenSearchCredentials> GetAsync(CancellationToken cancellationToken)
    {
        var current = _current;
        if (current is not null && _time.GetUtcNow() < _expires)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is not null && _time.GetUtcNow() < _expires)
            {
                return _current;
            }

            return await ReadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<OpenSearchCredentials> RefreshAsync(OpenSearchCredentials rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is not null && !ReferenceEquals(_current, rejected))
            {
                return _current;
            }

            LogRefreshing(_logger, Prefix);
            return await ReadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OpenSearchCredentials> ReadAsync(CancellationToken cancellationToken)
    {
        var request = GetParametersCall.Request(_readLogin ? [HostParameter, UserParameter, PasswordParameter] : [HostParameter]);
        GetParametersResult response;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Reads++;
                response = await _ssm.InvokeAsync(GetParametersCall.Operation, request, GetParametersCall.Read, cancellationToken);
                break;
            }
            catch (Exception ex) when (ShouldRetry(ex, attempt, cancellationToken) is { } throttled)
            {
                // SSM's GetParameters quota is shared by the whole account; a cold start of many concurrent
                // environments can exceed it. A 5xx or a broken connection is usually gone a moment later.
                // Back off and try again rather than fail init.
                var delay = RetryBackoff.Delay(attempt);
                if (throttled)
                {
                    LogThrottled(_logger, attempt + 1, delay.TotalMilliseconds);
                }
                else
                {
                    LogFailedRetrying(_logger, attempt + 1, ex.Message, delay.TotalMilliseconds);
                }

                await Task.Delay(delay, _time, cancellationToken);
            }
        }

        if (response.InvalidParameters is { Count: > 0 } missing)
        {
            throw new ConfigurationException(
                EnvironmentVariableNames.SsmParameterPrefix,
                $"SSM parameter(s) not found: {string.Join(", ", missing)} (prefix '{Prefix}' from {EnvironmentVariableNames.SsmParameterPrefix} or {OpenSearchParameterPrefix.DefaultTemplate}). Create them: host as String, user and password as SecureString.");
        }

        var values = response.Values;
        var host = Required(values, HostParameter);
        var user = _readLogin ? Required(values, UserParameter) : string.Empty;
        var password = _readLogin ? Required(values, PasswordParameter) : string.Empty;
        var endpoint = OpenSearchCredentials.ParseEndpoint(host, out var problem)
            ?? throw new ConfigurationException(HostParameter, $"SSM parameter {HostParameter}: {problem}.");
        _current = new OpenSearchCredentials(endpoint, user, password);
        _expires = _time.GetUtcNow() + _ttl;
        LogRead(_logger, Prefix, endpoint.ToString(), user);
        return _current;
    }

    private static string Required(IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ConfigurationException(name, $"SSM parameter {name} is empty.");

    /// <summary>True to retry as throttled, false to retry as failed, null not to retry.</summary>
    private static bool? ShouldRetry(Exception ex, int attempt, CancellationToken cancellationToken) => ex switch
    {
        AwsServiceException { IsThrottling: true } when attempt < MaxThrottleRetries => true,
        AwsServiceException { IsTransient: true } when attempt < MaxTransientRetries => false,
        HttpRequestException when attempt < MaxTransientRetries => false,
        // HttpClient reports its own timeout as a cancellation; ours is not retried.
        TaskCanceledException when !cancellationToken.IsCancellationRequested && attempt < MaxTransientRetries => false,
        _ => null,
    };

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Read OpenSearch credentials from SSM prefix {Prefix}: endpoint {Endpoint}, user {User}")]
    private static partial void LogRead(ILogger logger, string prefix, string endpoint, string user);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "OpenSearch refused the credentials (401); reading SSM prefix {Prefix} again")]
    private static partial void LogRefreshing(ILogger logger, string prefix);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "SSM GetParameters throttled (attempt {Attempt}); retrying in {DelayMs} ms")]
    private static partial void LogThrottled(ILogger logger, int attempt, double delayMs);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "SSM GetParameters failed (attempt {Attempt}): {Error}; retrying in {DelayMs} ms")]
    private static partial void LogFailedRetrying(ILogger logger, int attempt, string error, double delayMs);
}
