using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sdp;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Provisional;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <content>
/// The dispatcher's side of early dialogs (<see cref="EarlyDialog"/>): it builds the 183 under the lock, routes PRACKs
/// to the ringing INVITE they name (RFC 3262 §4) and ends an INVITE whose reliable 183 was never acknowledged (§3).
/// </content>
public sealed partial class SipUserAgentServer
{
    // Ringing INVITEs that answered with an offer, by dialog id (Call-ID and our tag): where a PRACK is matched.
    private readonly Dictionary<string, InviteServerTransaction> _earlyDialogs = new(StringComparer.Ordinal);

    private EarlyDialog CreateEarlyDialog(InviteServerTransaction tx, SdpSessionDescription offer, SdpNegotiationResult negotiation, string dialogId)
    {
        var sender = SipExtensions.AllowsReliableProvisional(tx.Invite)
            ? new ReliableProvisionalSender(_options.T1, TimeProvider.System, bytes => Send(bytes, tx.ResponseDestination), ReliableProvisionalSender.NewFirstRSeq())
            : null;
        EarlyDialog? early = null;
        early = new EarlyDialog(
            tx.Invite,
            sender,
            localRtp =>
            {
                lock (_sync)
                {
                    if (tx.State != InviteTransactionState.Proceeding)
                    {
                        return null;
                    }

                    var progress = CreateDialogResponse(tx, 183, "Session Progress");
                    early!.Media = CreateAnswer(offer, negotiation, localRtp);
                    progress.Body = early.Media.LastLocalSdp;

                    // A retransmitted INVITE gets the most recent provisional response (RFC 3261 §17.2.1).
                    tx.LastResponse = sender is null ? progress.ToBytes() : tx.LastResponse;
                    return progress;
                }
            },
            bytes => Send(bytes, tx.ResponseDestination),
            () => RejectUnacknowledged(tx));
        lock (_sync)
        {
            _earlyDialogs[dialogId] = tx;
        }

        return early;
    }

    /// <summary>The INVITE has its final response (or was cancelled): the early dialog takes no more PRACKs.</summary>
    private void ForgetEarlyDialog(InviteServerTransaction tx)
    {
        if (tx.Early is not { } early)
        {
            return;
        }

        early.Stop();
        lock (_sync)
        {
            _earlyDialogs.Remove(DialogTable.Key(tx.Invite.CallId!, tx.LocalTag));
        }
    }

    /// <summary>RFC 3262 §3: no PRACK for the reliable 183 within 64*T1, so the INVITE is rejected with a 5xx.</summary>
    private void RejectUnacknowledged(InviteServerTransaction tx)
    {
        lock (_sync)
        {
            if (tx.State != InviteTransactionState.Proceeding)
            {
                return;
            }

            tx.State = InviteTransactionState.Completed;
            tx.AbandonReason = CallTermination.ReasonPrackTimeout;
            tx.LastResponse = SipResponseFactory.Create(tx.Invite.Headers, 504, "Provisional Response Not Acknowledged", tx.LocalTag, _options.UserAgent).ToBytes();
        }

        SipUasMetrics.CallsRejected.Add(1);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("No PRACK for the reliable 183 of {CallId} within 64*T1; answering 504", LogText.Safe(tx.Invite.CallId!));
        }

        ForgetEarlyDialog(tx);
        Send(tx.LastResponse!, tx.ResponseDestination);
        tx.CancelHandler();
        _ = RetransmitFinalAsync(tx);
    }

    /// <summary>
    /// PRACK (RFC 3262 §4): 200 when it acknowledges the outstanding reliable 183 of a ringing INVITE, 481 when it
    /// matches no early dialog or nothing outstanding (a duplicate, a stale RSeq), 400 for a missing or malformed RAck.
    /// </summary>
    private void HandlePrack(SipRequest prack, string cacheKey, SipEndPoint destination)
    {
        if (RAckHeader.Of(prack) is not { } rack)
        {
            SipUasMetrics.BadRequests.Add(1);
            SipUasMetrics.Pracks.Add(1, new KeyValuePair<string, object?>("result", "malformed"));
            var reason = prack.Headers.Contains(SipHeaderId.RAck) ? "Malformed RAck" : "Missing RAck";
            RespondNonInvite(CreateResponse(prack, 400, reason, toTag: prack.To!.Tag), cacheKey, destination);
            return;
        }

        EarlyDialog? early = null;
        lock (_sync)
        {
            if (prack.To!.Tag is { } tag && _earlyDialogs.TryGetValue(DialogTable.Key(prack.CallId!, tag), out var tx)
                && tx.State == InviteTransactionState.Proceeding)
            {
                early = tx.Early;
            }
        }

        var verdict = early?.OnPrack(rack, prack) ?? PrackVerdict.NoMatch;
        SipUasMetrics.Pracks.Add(1, new KeyValuePair<string, object?>("result", verdict.StatusCode switch
        {
            200 => "acknowledged",
            481 => "no_match",
            _ => "refused_body",
        }));
        if (!verdict.IsAcknowledged)
        {
            SipUasMetrics.BadRequests.Add(1);
        }

        RespondNonInvite(CreateResponse(prack, verdict.StatusCode, verdict.Reason, toTag: prack.To!.Tag), cacheKey, destination);
    }
}
