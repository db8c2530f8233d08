namespace Collector.Sending;

/// <summary>An entry of a batch the destination did not accept, by its index in the batch.</summary>
public sealed record SendFailure(int Index, string Code, string Message);
