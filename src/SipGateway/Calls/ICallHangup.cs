namespace StepAudio.Telephony.SipGateway.Calls;

/// <summary>The one thing calls need from signalling: ending a dialog from the gateway's side (BYE).</summary>
internal interface ICallHangup
{
    Task HangUpAsync(string dialogId, CancellationToken cancellationToken);
}
