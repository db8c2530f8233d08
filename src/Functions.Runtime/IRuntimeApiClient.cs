namespace Functions.Runtime;

/// <summary>The Lambda Runtime API 2018-06-01, as the loop uses it.</summary>
public interface IRuntimeApiClient
{
    /// <summary>Waits for the next event (<c>GET /runtime/invocation/next</c>). Its payload may be reused by the next call.</summary>
    Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken);

    /// <summary>Sends an invocation's response (<c>POST /runtime/invocation/{id}/response</c>).</summary>
    Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken);

    /// <summary>Reports that an invocation failed (<c>POST /runtime/invocation/{id}/error</c>).</summary>
    Task ReportInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken);

    /// <summary>Reports that initialization failed (<c>POST /runtime/init/error</c>); the process then exits.</summary>
    Task ReportInitErrorAsync(LambdaError error, CancellationToken cancellationToken);
}
