namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Who decided a transfer the flow carries out (on the wire: <c>CallTransferred.requestedBy</c>).</summary>
public enum TransferRequester
{
    /// <summary>A <c>transfer</c> step of the flow (<c>flow</c>).</summary>
    Flow,

    /// <summary>The model of a <c>converse</c> step, through its <c>transfer</c> action (<c>model</c>).</summary>
    Model,
}
