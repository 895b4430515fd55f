using System.Globalization;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Messages;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>
/// What the user agent itself decides about session timers (RFC 4028): 422 with Min-SE for too short an interval; the
/// timer of each dialog is its <see cref="SessionTimer"/>.
/// </content>
public sealed partial class SipUserAgentServer
{
    /// <summary>
    /// The INVITE's own offer/answer state and, for a session timer, the headers of the 2xx. Called under the lock
    /// when the dialog is created (RFC 3261 §12.1.1).
    /// </summary>
    private void InitialiseInDialog(SipDialog dialog, SipResponse ok, DialogMediaState media)
    {
        dialog.InDialog.Media = media;
        dialog.InDialog.RemoteCSeq = dialog.Invite.Invite.CSeq!.Value.Number;
        ApplySessionTimer(dialog, dialog.Invite.Invite, ok);
    }

    /// <summary>RFC 4028 §9: a Session-Expires below our minimum is refused with 422 and our Min-SE.</summary>
    private bool IsSessionIntervalTooSmall(SipRequest request) =>
        SessionExpires.TryParse(request.Headers.GetFirst(SipHeaderId.SessionExpires), out var seconds, out _)
        && TimeSpan.FromSeconds(seconds) < _options.MinSessionExpires;

    private SipResponse CreateSessionIntervalTooSmall(SipRequest request)
    {
        var response = CreateResponse(request, 422, "Session Interval Too Small");
        response.Headers.Add(SessionExpires.MinSeHeader, MinSeValue);
        return response;
    }

    private string MinSeValue => ((int)Math.Ceiling(_options.MinSessionExpires.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The dialog's session timer takes the request's Session-Expires and writes ours into the 2xx. Under the lock.</summary>
    private void ApplySessionTimer(SipDialog dialog, SipRequest request, SipResponse ok) =>
        (dialog.InDialog.SessionTimer ??= new SessionTimer(dialog, this)).Apply(request, ok);
}
