namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// No endpoint produced a reply: each one failed, timed out or had its circuit open. Raised only before anything of
/// the reply was produced, so the caller has heard nothing and the flow can take its <c>fallback</c> step.
/// </summary>
public sealed class ConversationUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConversationUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message naming what each endpoint did.</summary>
    public ConversationUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the last failure.</summary>
    public ConversationUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
