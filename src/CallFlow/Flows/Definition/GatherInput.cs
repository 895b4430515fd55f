namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>What a <c>gather</c> listens for.</summary>
[Flags]
public enum GatherInput
{
    /// <summary>Nothing (not valid in a flow).</summary>
    None = 0,

    /// <summary>Keys (RFC 4733, SIP INFO or in-band tones).</summary>
    Dtmf = 1,

    /// <summary>A spoken answer (an utterance ended by turn detection; no transcript without a recogniser).</summary>
    Speech = 2,
}
