using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Shared.Contract.Tests.Architecture;

/// <summary>
/// Finds a documentation summary that only repeats names the reader already has: the member's own name
/// and the names of the types holding it ("The queue name." on QueueName, "Creates the writer." on the
/// OpenSearchBulkWriter constructor, "The body." on BulkRequestBody.Memory). Such a summary satisfies
/// CS1591 and tells nothing: not the unit, the source of the value, its use or an example.
/// </summary>
public static partial class RepeatedNameRule
{
    // Words that carry no meaning of their own in a summary: articles, the doc-comment verbs and the
    // boilerplate of a generated constructor summary ("Initializes a new instance of the X class").
    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "this", "its", "of", "for",
        "creates", "create", "gets", "get", "sets", "set", "or", "returns", "represents",
        "initializes", "initialises", "new", "instance", "class", "struct", "record", "type", "value",
    };

    /// <summary>
    /// True when <paramref name="summary"/>, the inner XML of a member's summary element, says nothing but
    /// (part of) the names in the member's documentation id <paramref name="memberId"/>, e.g.
    /// "P:Shared.Contract.Queue.SqsQueueArn.QueueName".
    /// </summary>
    public static bool IsRepetition(string memberId, string summary)
    {
        var names = NameWords(memberId);
        var words = SummaryWords(summary);
        return words.Count == 0 || words.All(names.Contains);
    }

    /// <summary>The words of the member's name, its declaring type's and one enclosing name, lower-case, a plural's "s" cut.</summary>
    public static HashSet<string> NameWords(string memberId)
    {
        var id = memberId.Length > 2 && memberId[1] == ':' ? memberId[2..] : memberId;
        var parenthesis = id.IndexOf('(', StringComparison.Ordinal);
        if (parenthesis >= 0)
        {
            id = id[..parenthesis];
        }

        // The member, its declaring type and one enclosing name: the outer type of a nested type's member
        // (SQSEvent.SQSMessage.Body) or else the last namespace part, which a reader also has at hand. The id
        // alone cannot tell a namespace from an outer type, and both are names already read.
        var segments = id.Split('.');
        var taken = segments.Skip(Math.Max(0, segments.Length - 3));
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var segment in taken)
        {
            var name = segment.Replace("#ctor", string.Empty, StringComparison.Ordinal);
            name = name[(name.LastIndexOf('#') + 1)..];
            foreach (var word in Words(GenericArity().Replace(name, string.Empty)))
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>The words of a summary that are not filler, lower-case, a plural's "s" cut; a cref counts as the words of the name it points to.</summary>
    public static List<string> SummaryWords(string summary)
    {
        var element = XElement.Parse("<summary>" + summary + "</summary>");
        foreach (var reference in element.Descendants().Where(e => e.Attribute("cref") is not null || e.Attribute("name") is not null).ToList())
        {
            var target = (string?)reference.Attribute("cref") ?? (string)reference.Attribute("name")!;
            var last = target.Split('(')[0].Split('.')[^1];
            reference.ReplaceWith(reference.IsEmpty ? last : reference.Value);
        }

        return Words(element.Value, dropFiller: true).ToList();
    }

    // Filler is dropped before a plural's "s" is cut, so "initializes" and "creates" stay filler; a
    // possessive "'s" goes first, so "The function's name." reads as "function name".
    private static IEnumerable<string> Words(string text, bool dropFiller = false)
    {
        foreach (Match token in Token().Matches(Possessive().Replace(text, string.Empty)))
        {
            foreach (Match part in CamelPart().Matches(token.Value))
            {
                var word = part.Value.ToLowerInvariant();
                if (dropFiller && Filler.Contains(word))
                {
                    continue;
                }

                // An acronym's plural ("IDs", "ARNs") loses its "s"; a word ("indices", "messages") too when
                // long enough not to be an acronym itself ("SQS").
                var acronymPlural = part.Value.Length > 2 && part.Value[^1] == 's' && part.Value[..^1].All(char.IsUpper);
                var plural = acronymPlural || (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal));
                yield return plural ? word[..^1] : word;
            }
        }
    }

    [GeneratedRegex("['\\u2019]s\\b")]
    private static partial Regex Possessive();

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex Token();

    [GeneratedRegex("[A-Z]{2,}s(?![a-z])|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")]
    private static partial Regex CamelPart();

    [GeneratedRegex("`+[0-9]+")]
    private static partial Regex GenericArity();
}
