using StepAudio.Telephony.SipGateway.Calls;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Hosting;

/// <summary>Gives the call layer the user agent's BYE without giving it the whole SIP stack.</summary>
internal sealed class SipCallHangup(SipUserAgentServer server) : ICallHangup
{
    public Task HangUpAsync(string dialogId, CancellationToken cancellationToken) => server.HangUpAsync(dialogId, cancellationToken);
}
