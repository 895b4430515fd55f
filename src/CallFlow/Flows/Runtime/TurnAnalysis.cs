namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Whether a turn's analysis was finished when the flow decided on the turn.</summary>
public enum TurnAnalysis
{
    /// <summary>Finished: emotion and vocal sounds are this turn's.</summary>
    Done,

    /// <summary>Still running after the configured wait: the flow sees <c>unknown</c>, never the previous turn's value.</summary>
    NotReady,

    /// <summary>Not analysed at all (analysis disabled, the queue was full, or the analyzer failed).</summary>
    Unavailable,
}
