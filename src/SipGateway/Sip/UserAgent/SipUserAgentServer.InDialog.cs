using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Dialogs;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>UPDATE (RFC 3311) and INFO (RFC 6086) inside an established dialog.</summary>
public sealed partial class SipUserAgentServer
{
    private const string InfoPackageHeader = "Info-Package";

    /// <summary>
    /// RFC 3311 §5.2: an UPDATE with an offer is answered like a re-INVITE's; one without is a session refresh
    /// (RFC 4028 §7.4) and gets a plain 2xx.
    /// </summary>
    private void HandleUpdate(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        MediaUpdate? update = null;
        SipDialog? dialog;
        lock (_sync)
        {
            dialog = FindDialog(request);
            if (dialog is null)
            {
                response = CreateResponse(request, 481, "Call/Transaction Does Not Exist");
            }
            else if (CheckInDialogCSeq(dialog, request) is { } outOfOrder)
            {
                response = outOfOrder;
            }
            else if (!request.Body.IsEmpty && (dialog.InDialog.AnswerExpectedInAck || dialog.InDialog.LocalRequestPending))
            {
                // RFC 3311 §5.2: an offer while our own offer awaits its answer gets 491.
                response = CreateResponse(request, 491, "Request Pending");
                DialogMetrics.RequestPending.Add(1);
            }
            else if (IsSessionIntervalTooSmall(request))
            {
                response = CreateSessionIntervalTooSmall(request);
            }
            else if (AnswerOffer(dialog, request, out update, out var answer) is { } rejection)
            {
                response = rejection;
            }
            else
            {
                response = CreateInDialogOk(dialog, request, answer);
                ApplySessionTimer(dialog, request, response);
            }
        }

        RespondNonInvite(response, cacheKey, destination);
        if (update is not null)
        {
            NotifyMediaUpdated(dialog!.Id, update);
        }
    }

    /// <summary>
    /// INFO: we register no Info Package (RFC 6086 §5), so DTMF arrives as "legacy INFO usage" without an Info-Package
    /// header. An INFO naming a package gets 469 with an empty Recv-Info (§4.2.2: we are not willing to receive any);
    /// a legacy INFO whose body we cannot read gets 415 with Accept (RFC 3261 §21.4.13). An empty INFO is a liveness
    /// probe some trunks send and gets 200.
    /// </summary>
    private void HandleInfo(SipRequest request, string cacheKey, SipEndPoint destination)
    {
        SipResponse response;
        SipDialog? dialog;
        char digit = default;
        var duration = TimeSpan.Zero;
        lock (_sync)
        {
            dialog = FindDialog(request);
            response = dialog is null
                ? CreateResponse(request, 481, "Call/Transaction Does Not Exist")
                : CheckInDialogCSeq(dialog, request) ?? CreateInfoResponse(request, out digit, out duration);
        }

        RespondNonInvite(response, cacheKey, destination);
        if (digit != default && response.StatusCode == 200)
        {
            DialogMetrics.DtmfDigits.Add(1);
            try
            {
                _handler.OnDtmf(dialog!.Id, digit, duration, DtmfSource.Info);
            }
            catch (Exception ex)
            {
                SipUasMetrics.HandlerErrors.Add(1);
                _logger.LogError(ex, "OnDtmf failed for {DialogId}", LogText.Safe(dialog!.Id));
            }
        }
    }

    private SipResponse CreateInfoResponse(SipRequest request, out char digit, out TimeSpan duration)
    {
        digit = default;
        duration = TimeSpan.Zero;
        if (request.Headers.GetFirst(InfoPackageHeader) is not null)
        {
            var bad = CreateResponse(request, 469, "Bad Info Package");
            bad.Headers.Add("Recv-Info", string.Empty);
            return bad;
        }

        if (request.Body.IsEmpty)
        {
            return CreateResponse(request, 200, "OK");
        }

        if (!DtmfInfoBody.IsDtmfContentType(request.ContentType))
        {
            var unsupported = CreateResponse(request, 415, "Unsupported Media Type");
            unsupported.Headers.Add(SipHeaderId.Accept, DtmfInfoBody.DtmfRelay + ", " + DtmfInfoBody.Dtmf);
            return unsupported;
        }

        var body = Encoding.ASCII.GetString(request.Body.Span);
        return DtmfInfoBody.TryParse(request.ContentType, body, out digit, out duration)
            ? CreateResponse(request, 200, "OK")
            : CreateResponse(request, 400, "Bad DTMF body");
    }
}
