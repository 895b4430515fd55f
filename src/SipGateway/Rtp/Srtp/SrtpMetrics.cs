using System.Diagnostics.Metrics;

namespace StepAudio.Telephony.SipGateway.Rtp.Srtp;

/// <summary>Counters of dropped SRTP/SRTCP packets on the <c>StepAudio.Telephony</c> meter, by protocol and reason.</summary>
internal static class SrtpMetrics
{
    private static readonly Meter Meter = new(RtpMetrics.MeterName);

    public static readonly Counter<long> PacketsDropped =
        Meter.CreateCounter<long>("srtp.packets.dropped", "{packet}", "SRTP/SRTCP packets dropped: reason auth_failed, replayed, no_key (before the answer to our SDES offer) or malformed.");

    public static void Dropped(SrtpUnprotectResult result, bool rtcp) => PacketsDropped.Add(
        1,
        new KeyValuePair<string, object?>("protocol", rtcp ? "srtcp" : "srtp"),
        new KeyValuePair<string, object?>("reason", result switch
        {
            SrtpUnprotectResult.AuthenticationFailed => "auth_failed",
            SrtpUnprotectResult.Replayed => "replayed",
            SrtpUnprotectResult.NoKey => "no_key",
            _ => "malformed",
        }));
}
