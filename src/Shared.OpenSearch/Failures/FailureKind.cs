namespace Shared.OpenSearch.Failures;

/// <summary>Whether something that was not stored can heal by itself or never will.</summary>
public enum FailureKind
{
    /// <summary>
    /// The domain or the way to it is not working right now (down, overloaded, credentials or permissions being
    /// fixed): the same input, sent again later, will be stored. Such work is held and retried, never dead-lettered
    /// while the hold window lasts.
    /// </summary>
    Transient = 1,

    /// <summary>
    /// The input itself is at fault (a malformed body, an unusable event, a document the mapping refuses, a
    /// delivery that cannot be decoded): sending it again will fail again. It goes to a dead-letter queue, where a
    /// human can look at it.
    /// </summary>
    Permanent = 2,
}
