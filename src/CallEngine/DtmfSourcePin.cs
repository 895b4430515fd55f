namespace StepAudio.Telephony.CallEngine;

/// <summary>
/// Which source a call takes its key presses from. Equipment often sends a press both as RFC 4733 events and as SIP
/// INFO (or the tones stay in the audio), and nothing ties the copies together, so the call trusts the first source it
/// hears from and ignores the others for the rest of the call.
/// </summary>
/// <remarks>Called under the call's lock; <see cref="Ignored"/> may be read from any thread.</remarks>
internal sealed class DtmfSourcePin
{
    private long _ignored;

    /// <summary>The source the call's digits come from; null before the first press.</summary>
    public string? Trusted { get; private set; }

    /// <summary>Presses ignored because they came from another source.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Whether a press from <paramref name="source"/> is the call's; the first source heard is pinned.</summary>
    public bool Admits(string source)
    {
        Trusted ??= source;
        if (string.Equals(Trusted, source, StringComparison.Ordinal))
        {
            return true;
        }

        Interlocked.Increment(ref _ignored);
        return false;
    }
}
