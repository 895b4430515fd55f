namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>How a prompt ended.</summary>
public enum PromptResult
{
    /// <summary>Played to the end.</summary>
    Completed,

    /// <summary>Stopped because the caller started to speak (only when the step allows speech to interrupt).</summary>
    BargedIn,

    /// <summary>Stopped by a key press (only when the step allows keys to interrupt).</summary>
    KeyPressed,
}
