namespace StepAudio.Telephony.Inference.Recognition;

/// <summary>The recogniser failed; the message names the backend and what went wrong, never the caller's words.</summary>
public sealed class SpeechRecognitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpeechRecognitionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SpeechRecognitionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SpeechRecognitionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
