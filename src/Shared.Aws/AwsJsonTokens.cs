using System.Text.Json;

namespace Shared.Aws;

/// <summary>
/// Steps through an AWS JSON-protocol answer with <see cref="Utf8JsonReader"/>, failing with a
/// <see cref="JsonException"/> that names the answer when it ends early or has an unexpected token.
/// </summary>
public static class AwsJsonTokens
{
    /// <summary>Reads the next token and returns its type.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="answer">What is read, for the message (e.g. <c>The SQS answer</c>).</param>
    /// <exception cref="JsonException">The answer ends here.</exception>
    public static JsonTokenType Next(ref Utf8JsonReader reader, string answer)
    {
        if (!reader.Read())
        {
            throw new JsonException($"{answer} ends early.");
        }

        return reader.TokenType;
    }

    /// <summary>Checks that the next token (or, with <paramref name="current"/>, the current one) is <paramref name="type"/>.</summary>
    /// <exception cref="JsonException">It is not.</exception>
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string answer, bool current = false)
    {
        if (!current)
        {
            Next(ref reader, answer);
        }

        if (reader.TokenType != type)
        {
            throw new JsonException($"{answer} has {reader.TokenType} where {type} was expected.");
        }
    }
}
