namespace StepAudio.Telephony.SipGateway.Dtmf;

/// <summary>The DTMF subset of the RFC 4733 event registry (§3.2, Table 3): codes 0–15 are the sixteen keys.</summary>
public static class DtmfEvents
{
    private const string Digits = "0123456789*#ABCD";

    /// <summary>Maps an event code to its key; false for codes that are not DTMF keys (e.g. 16, flash).</summary>
    public static bool TryGetDigit(byte eventCode, out char digit)
    {
        if (eventCode < Digits.Length)
        {
            digit = Digits[eventCode];
            return true;
        }

        digit = default;
        return false;
    }

    /// <summary>Maps a key (0–9, *, #, A–D; letters in either case) to its event code.</summary>
    public static bool TryGetEvent(char digit, out byte eventCode)
    {
        int index = Digits.IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);
        eventCode = (byte)Math.Max(index, 0);
        return index >= 0;
    }
}
