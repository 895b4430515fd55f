namespace StepAudio.Telephony.SipGateway.Dtmf;

/// <summary>Receives completed key presses, whatever carried them (RFC 4733, SIP INFO, in-band tones).</summary>
public interface IDtmfSink
{
    /// <summary>One key press, reported once, after it ended.</summary>
    /// <param name="digit">0–9, *, #, A–D.</param>
    /// <param name="duration">How long the key was held, as the sender reported it.</param>
    /// <param name="source">How it arrived: one of <see cref="Sip.Dialogs.DtmfSource"/>'s values.</param>
    /// <remarks>Called on the media receive path or a timer thread: must not block.</remarks>
    void OnDtmf(char digit, TimeSpan duration, string source);
}
