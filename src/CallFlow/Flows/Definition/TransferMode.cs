namespace StepAudio.Telephony.CallFlow.Flows.Definition;

/// <summary>How a transfer reaches its target.</summary>
public enum TransferMode
{
    /// <summary>Ask the caller's side to call the target (SIP REFER, RFC 3515); our leg then ends.</summary>
    Refer,

    /// <summary>Call the target ourselves and connect the two calls' audio.</summary>
    Bridge,
}
