namespace StepAudio.Telephony.CallFlow.Speech;

/// <summary>Text could not be turned into speech; the message says which tool failed and how.</summary>
public sealed class SpeechSynthesisException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpeechSynthesisException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SpeechSynthesisException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SpeechSynthesisException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
