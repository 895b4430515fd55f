namespace StepAudio.Telephony.SipGateway.Rtp;

/// <summary>
/// White noise at an RFC 3389 noise level (§3: the level in −dBov, 0 to 127). 0 dBov is taken as the RMS of a
/// full-scale 16-bit signal. The spectral coefficients of §3.2 are not modelled: flat noise is what §5 allows a
/// receiver without them to play. Not thread-safe.
/// </summary>
internal sealed class ComfortNoiseGenerator
{
    // Peers usually send 40-80 −dBov; louder than this would be noise blasted into the call (or an attack).
    private const int LoudestLevel = 30;

    private static readonly float[] Amplitudes = BuildAmplitudes();
    private uint _state = 0x9E3779B9;

    public void Fill(Span<short> pcm, byte level)
    {
        // A uniform distribution on [−a, a] has RMS a/√3, hence the table holds √3 · RMS.
        float amplitude = Amplitudes[Math.Clamp((int)level, LoudestLevel, 127)];
        for (int i = 0; i < pcm.Length; i++)
        {
            // xorshift32: cheap, allocation-free, and statistically fine for noise.
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            float uniform = (_state / (float)uint.MaxValue * 2f) - 1f;
            pcm[i] = (short)(uniform * amplitude);
        }
    }

    /// <summary>The RMS a level describes, in 16-bit sample units.</summary>
    internal static double Rms(int level) => short.MaxValue * Math.Pow(10, -level / 20.0);

    private static float[] BuildAmplitudes()
    {
        var table = new float[128];
        for (int level = 0; level < table.Length; level++)
        {
            table[level] = (float)(Rms(level) * Math.Sqrt(3));
        }

        return table;
    }
}
