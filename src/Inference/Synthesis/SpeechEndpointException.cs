namespace StepAudio.Telephony.Inference.Synthesis;

/// <summary>The speech endpoint failed; the message names it and what went wrong.</summary>
public sealed class SpeechEndpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpeechEndpointException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SpeechEndpointException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SpeechEndpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
