namespace StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

/// <summary>How a conversation ended.</summary>
public enum ConverseEnding
{
    /// <summary>The model chose a step (<see cref="ConverseResult.Target"/>).</summary>
    GotoStep,

    /// <summary>The model asked to transfer the caller.</summary>
    Transfer,

    /// <summary>The model ended the call.</summary>
    Hangup,

    /// <summary>The turn or duration limit was reached: the flow continues at <c>next</c>.</summary>
    LimitReached,

    /// <summary>No endpoint answered: the flow takes <c>fallback</c>.</summary>
    Failed,
}
