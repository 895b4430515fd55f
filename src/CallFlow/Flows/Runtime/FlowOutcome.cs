namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>How a call's flow ended (carried to <c>CallEnded.Outcome</c> in lower case).</summary>
public enum FlowOutcome
{
    /// <summary>The flow reached its end or a <c>hangup</c> step.</summary>
    Completed,

    /// <summary>A transfer succeeded.</summary>
    Transferred,

    /// <summary>The caller hung up before the flow ended.</summary>
    Abandoned,

    /// <summary>A step failed with no handler, or the gateway failed.</summary>
    Failed,
}
