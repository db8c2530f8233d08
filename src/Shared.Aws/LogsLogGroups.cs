using System.Buffers;
using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// CloudWatch Logs' <c>CreateLogGroup</c> in the JSON protocol (<c>{"logGroupName":"..."}</c>), where a group that
/// exists already (<c>ResourceAlreadyExistsException</c>) is the state asked for.
/// </summary>
public sealed class LogsLogGroups(AwsJsonClient logs)
{
    /// <summary>Creates the group unless it exists; true when this call created it.</summary>
    /// <exception cref="AwsServiceException">CloudWatch Logs refused the call for another reason.</exception>
    public async Task<bool> EnsureAsync(string logGroupName, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("logGroupName"u8, logGroupName);
            writer.WriteEndObject();
        }

        try
        {
            await logs.InvokeAsync("CreateLogGroup", buffer.WrittenMemory, static _ => true, cancellationToken);
            return true;
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == "ResourceAlreadyExistsException")
        {
            return false;
        }
    }
}
