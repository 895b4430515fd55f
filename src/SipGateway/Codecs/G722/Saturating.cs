namespace StepAudio.Telephony.SipGateway.Codecs.G722;

/// <summary>The 16-bit saturating arithmetic that G.722's fixed-point description assumes (§3.6, "limited to").</summary>
internal static class Saturating
{
    public static short Clamp16(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);

    /// <summary>Clamps to the 15-bit range of the sub-band signals (block 6, LIMIT).</summary>
    public static short Clamp15(int value) => (short)Math.Clamp(value, -16384, 16383);

    public static short Add(short a, short b) => Clamp16(a + b);

    public static short Subtract(short a, short b) => Clamp16(a - b);
}
