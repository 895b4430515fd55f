namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// A reply that had already started broke off (connection dropped, stalled, streamed past the limit). It is not
/// retried: part of it may have been heard. The message says why, without any of the reply's words.
/// </summary>
public sealed class ConversationStreamBrokenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConversationStreamBrokenException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConversationStreamBrokenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ConversationStreamBrokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
