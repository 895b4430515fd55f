using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.UserAgent;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>Turns an INVITE into the flow's <see cref="CallInfo"/>: numbers from the URIs' user parts, the trunk by source.</summary>
internal static class CallInfoFactory
{
    public static CallInfo Create(string callId, IncomingCall call, CallTrunkResolver trunks)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(trunks);
        return new CallInfo(callId, UserOf(call.FromUri), UserOf(call.ToUri), trunks.Resolve(call.RemoteSignalling.Address));
    }

    /// <summary>The URI's user part (the number for telephone calls), else the whole URI.</summary>
    internal static string UserOf(string uri) =>
        SipUri.TryParse(uri, out var parsed) && !string.IsNullOrEmpty(parsed.User) ? Uri.UnescapeDataString(parsed.User) : uri;
}
