using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Sip.Dialogs;

/// <summary>Counters of in-dialog requests (Meter "StepAudio.Telephony").</summary>
internal static class DialogMetrics
{
    private static readonly Meter Meter = new("StepAudio.Telephony");

    /// <summary>Offers answered in a re-INVITE, UPDATE or ACK that changed or restated the media.</summary>
    public static readonly Counter<long> MediaUpdates = Meter.CreateCounter<long>("sip.dialog.media_updates");

    /// <summary>491 Request Pending sent (RFC 3261 §14.2 / RFC 3311 §5.2 glare).</summary>
    public static readonly Counter<long> RequestPending = Meter.CreateCounter<long>("sip.dialog.request_pending");

    public static readonly Counter<long> DtmfDigits = Meter.CreateCounter<long>("sip.dialog.dtmf_digits");

    /// <summary>Calls ended because no RFC 4028 refresh arrived.</summary>
    public static readonly Counter<long> SessionsExpired = Meter.CreateCounter<long>("sip.dialog.sessions_expired");

    /// <summary>Finished transfers, tagged "status" with the final status code.</summary>
    public static readonly Counter<long> Transfers = Meter.CreateCounter<long>("sip.dialog.transfers");

    /// <summary>
    /// REFERs the peer sent, tagged "response" with our answer (202 accepted, 400 malformed, 481 no dialog, 491 one
    /// already running, 603 the flow refuses).
    /// </summary>
    public static readonly Counter<long> RefersReceived = Meter.CreateCounter<long>("sip.dialog.refers_received");

    /// <summary>Transfers the peer asked for and we accepted, tagged "status" with the final sipfrag status we notified.</summary>
    public static readonly Counter<long> ReferredTransfers = Meter.CreateCounter<long>("sip.dialog.referred_transfers");
}
