namespace Shared.Aws;

/// <summary>A message attribute of an SQS message sent: <c>String</c> or <c>Number</c> (custom suffixes allowed), its value as text.</summary>
/// <param name="Name">The attribute's name (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>; not starting with <c>AWS.</c> or <c>Amazon.</c>).</param>
/// <param name="DataType">Its data type, e.g. <c>String</c> or <c>Number</c>.</param>
/// <param name="Value">Its value, as SQS's <c>StringValue</c>.</param>
public readonly record struct SqsMessageAttribute(string Name, string DataType, string Value);
