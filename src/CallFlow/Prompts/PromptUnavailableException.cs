namespace StepAudio.Telephony.CallFlow.Prompts;

/// <summary>A prompt file could not be loaded; the message names the file and why.</summary>
public sealed class PromptUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PromptUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PromptUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PromptUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
