using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Functions.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Functions.Core.Credentials;

/// <summary>
/// Reads <c>&lt;prefix&gt;/host</c> (String), <c>&lt;prefix&gt;/user</c> and <c>&lt;prefix&gt;/password</c>
/// (SecureString) with one <c>GetParameters</c> call with decryption, and caches them for the TTL.
/// </summary>
public sealed partial class SsmCredentialsSource : ICredentialsSource
{
    private const int MaxThrottleRetries = 5;
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _readLogin;
    private OpenSearchCredentials? _current;
    private DateTimeOffset _expires;

    /// <summary>Creates the source.</summary>
    /// <param name="ssm">The SSM client.</param>
    /// <param name="prefix">The parameter prefix.</param>
    /// <param name="ttl">How long values are reused.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="readLogin">False with SigV4: only <c>host</c> is read; no user or password is needed.</param>
    public SsmCredentialsSource(IAmazonSimpleSystemsManagement ssm, string prefix, TimeSpan ttl, TimeProvider time, ILogger<SsmCredentialsSource> logger, bool readLogin = true)
    {
        _readLogin = readLogin;
        ArgumentNullException.ThrowIfNull(prefix);
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
        var request = new GetParametersRequest
        {
            Names = _readLogin ? [HostParameter, UserParameter, PasswordParameter] : [HostParameter],
            WithDecryption = true,
        };
        GetParametersResponse response;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Reads++;
                response = await _ssm.GetParametersAsync(request, cancellationToken);
                break;
            }
            catch (AmazonSimpleSystemsManagementException ex) when (IsThrottling(ex) && attempt < MaxThrottleRetries)
            {
                // SSM's GetParameters quota is shared by the whole account; a cold start of many
                // concurrent environments can exceed it. Back off and try again rather than fail init.
                var delay = TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, attempt)) * (0.5 + (Random.Shared.NextDouble() / 2)));
                LogThrottled(_logger, attempt + 1, delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }

        if (response.InvalidParameters is { Count: > 0 } missing)
        {
            throw new ConfigurationException(
                EnvironmentVariableNames.SsmParameterPrefix,
                $"SSM parameter(s) not found: {string.Join(", ", missing)} (prefix '{Prefix}' from {EnvironmentVariableNames.SsmParameterPrefix} or /eksworkshop/<{EnvironmentVariableNames.ClusterName}>/opensearch). Create them: host as String, user and password as SecureString.");
        }

        var values = (response.Parameters ?? []).ToDictionary(p => p.Name, p => p.Value ?? string.Empty, StringComparer.Ordinal);
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

    private static string Required(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new ConfigurationException(name, $"SSM parameter {name} is empty.");

    private static bool IsThrottling(AmazonSimpleSystemsManagementException ex) =>
        ex.ErrorCode is "ThrottlingException" or "TooManyUpdates" or "Throttling"
        || ex.StatusCode == System.Net.HttpStatusCode.TooManyRequests;

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Read OpenSearch credentials from SSM prefix {Prefix}: endpoint {Endpoint}, user {User}")]
    private static partial void LogRead(ILogger logger, string prefix, string endpoint, string user);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "OpenSearch refused the credentials (401); reading SSM prefix {Prefix} again")]
    private static partial void LogRefreshing(ILogger logger, string prefix);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "SSM GetParameters throttled (attempt {Attempt}); retrying in {DelayMs} ms")]
    private static partial void LogThrottled(ILogger logger, int attempt, double delayMs);
}
