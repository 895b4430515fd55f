namespace StepAudio.Telephony.Inference.Conversation;

/// <summary>
/// A model stream that broke the protocol (no content, no finish reason). Its message is the gateway's own, so it
/// may be written to traces and logs (<see cref="ConversationDisclosure"/>).
/// </summary>
public sealed class ModelStreamException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelStreamException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ModelStreamException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
