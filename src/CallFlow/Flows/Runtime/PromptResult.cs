namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>How a prompt ended.</summary>
public enum PromptResult
{
    /// <summary>Played to the end.</summary>
    Completed,

    /// <summary>Stopped because the caller spoke or pressed a key (only when barge-in was allowed).</summary>
    BargedIn,
}
