using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.Transactions;

/// <summary>One entry of the client transaction table; its state is guarded by the owning layer's lock.</summary>
internal sealed class NonInviteClientTransaction(string key, Action<SipResponse>? onProvisional)
{
    public string Key { get; } = key;

    public Action<SipResponse>? OnProvisional { get; } = onProvisional;

    public NonInviteClientTransactionState State { get; set; } = NonInviteClientTransactionState.Trying;

    public TaskCompletionSource<SipResponse> Final { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
