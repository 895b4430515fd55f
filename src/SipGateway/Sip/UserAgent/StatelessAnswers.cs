using Microsoft.Extensions.Logging;
using StepAudio.Telephony.SipGateway.Sip.Diagnostics;
using StepAudio.Telephony.SipGateway.Sip.Messages;
using StepAudio.Telephony.SipGateway.Sip.Parsing;
using StepAudio.Telephony.SipGateway.Sip.Transport;

namespace StepAudio.Telephony.SipGateway.Sip.UserAgent;

/// <summary>
/// The responses the user agent makes from the request alone, with no dialog or transaction behind them: 400-class to
/// a malformed request, 513 to one whose answer would not fit a datagram, 420 to a Require tag we lack, OPTIONS, and
/// 405/501 to a method we do not implement. <see cref="SipUserAgentServer"/> only decides which applies; what each
/// says is here.
/// </summary>
internal sealed class StatelessAnswers(SipOptions options, SipDialogHost host, LogRateLimiter badInputLog, ILogger logger)
{
    /// <summary>Answers a message the parser or the validator refused, when it can be answered; logs it, rate-limited.</summary>
    public void Malformed(SipParseError error, SipEndPoint remote)
    {
        if (error.Method is not null and not SipMethods.Ack && error.Headers is { } headers && SipResponseFactory.CanAnswer(headers))
        {
            // The Via may be what is broken, so answer the packet's source (RFC 3581 behaviour) instead of sent-by.
            SipUasMetrics.BadRequests.Add(1);
            var response = SipResponseFactory.Create(headers, error.StatusCode, error.Reason, SipToken.New(), options.UserAgent);
            host.Send(response.ToBytes(), remote);
        }
        else
        {
            SipUasMetrics.Dropped.Add(1);
        }

        if (badInputLog.TryAcquire(out var suppressed))
        {
            logger.LogWarning("Malformed SIP message from {Remote}: {Reason} ({Suppressed} similar suppressed)", remote, LogText.Safe(error.Reason), suppressed);
        }
    }

    /// <summary>
    /// Sends 513 when <paramref name="request"/>'s response could not travel back over UDP as one datagram; stateless
    /// (RFC 3261 §8.2.7), so a retransmission is simply answered again.
    /// </summary>
    public bool TryRefuseTooLarge(SipRequest request, SipEndPoint destination)
    {
        if (destination.Protocol != SipTransportProtocol.Udp || !UdpResponseSize.ExceedsDatagram(request.Headers, destination.Address.AddressFamily))
        {
            return false;
        }

        SipUasMetrics.BadRequests.Add(1);
        host.Send(UdpResponseSize.CreateMessageTooLarge(request.Headers, SipToken.New(), options.UserAgent).ToBytes(), destination);
        return true;
    }

    /// <summary>
    /// 420 with Unsupported when <paramref name="request"/> requires an extension we lack (RFC 3261 §8.2.2.3), OPTIONS
    /// included: a peer probing with Require learns what we lack. Null when nothing is missing.
    /// </summary>
    public SipResponse? BadExtension(SipRequest request)
    {
        if (SipExtensions.Unsupported(request) is not { Count: > 0 } unsupported)
        {
            return null;
        }

        var badExtension = host.CreateResponse(request, 420, "Bad Extension");
        SipExtensions.AddUnsupported(badExtension.Headers, unsupported);
        SipUasMetrics.BadRequests.Add(1);
        return badExtension;
    }

    /// <summary>Our capabilities, or 503 to an out-of-dialog OPTIONS while <paramref name="availability"/> refuses calls.</summary>
    public SipResponse Options(SipRequest request, SipAvailability? availability)
    {
        if (request.To?.Tag is null && availability?.Refusal is { } refusal)
        {
            // An out-of-dialog OPTIONS is how a proxy probes us (RFC 3261 §11): report what an INVITE would get.
            var unavailable = host.CreateResponse(request, 503, "Service Unavailable");
            unavailable.Headers.Add(SipHeaderId.RetryAfter, refusal.RetryAfter);
            return unavailable;
        }

        var response = host.CreateResponse(request, 200, "OK", withAllow: true);
        response.Headers.Add(SipHeaderId.Accept, "application/sdp");
        response.Headers.Add(SipHeaderId.Supported, SipExtensions.Supported);
        return response;
    }

    /// <summary>
    /// A method we do not implement: 405 when we recognise it (RFC 3261 §8.2.1), 501 when we do not (§21.5.2); both
    /// carry Allow so the client learns what works.
    /// </summary>
    public SipResponse Unimplemented(SipRequest request)
    {
        var known = SipMethods.IsKnown(request.Method);
        return host.CreateResponse(request, known ? 405 : 501, known ? "Method Not Allowed" : "Not Implemented", withAllow: true);
    }
}
