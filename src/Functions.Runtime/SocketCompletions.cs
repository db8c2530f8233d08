using Shared.Contract.Settings;

namespace Functions.Runtime;

/// <summary>
/// Makes socket continuations run on the thread that polls the sockets, instead of being queued to the
/// thread pool. Set once, by <see cref="LambdaHost"/>, before the process opens its first socket.
/// </summary>
/// <remarks>
/// A Lambda process handles one invocation at a time, and an invocation waits on one socket at a time (the
/// Runtime API's <c>next</c>, a <c>_bulk</c> request, the response). By default .NET hands every completion
/// from its socket thread to a pool worker, which wakes, runs the continuation, and then spins looking for
/// more work before it sleeps; measured at one line per delivery that spinning and waking was a large part of
/// the process's CPU (docs/performance.md, "Per invocation, process level"). Inline, the socket thread runs
/// the invocation itself, so one thread wakes per I/O and none spins. What inlining risks elsewhere, a
/// continuation that blocks and so stalls every other socket, cannot happen here: the one blocking wait is
/// the Runtime API client's (<see cref="HttpRuntimeApiClient"/>), made by the loop only when the invocation
/// before has been answered and nothing else is in flight, and there is no second invocation to stall.
/// .NET reads the switch from the environment once, when the first socket is used, which is why it is an
/// environment variable set here. A value the function's configuration sets (e.g. <c>0</c>) is left as it is.
/// </remarks>
public static class SocketCompletions
{
    /// <summary>The variable .NET's socket engine reads (<c>1</c>: run continuations inline).</summary>
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>True unless the function's configuration sets the variable itself (then its value stands).</summary>
    public static bool ShouldSet(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Get(InlineVariable) is null;
    }

    /// <summary>Turns inline completions on for this process unless <see cref="ShouldSet"/> says the configuration decides.</summary>
    public static void RunInline(IEnvironmentVariables environment)
    {
        if (ShouldSet(environment))
        {
            Environment.SetEnvironmentVariable(InlineVariable, "1");
        }
    }
}
