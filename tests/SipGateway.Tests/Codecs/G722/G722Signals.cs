namespace StepAudio.Telephony.SipGateway.Tests.Codecs.G722;

/// <summary>16 kHz test signals for the G.722 conformance tests.</summary>
internal static class G722Signals
{
    public const int SampleRate = 16000;

    /// <summary>Spoken English from espeak-ng, resampled to 16 kHz mono 16-bit by sox.</summary>
    public static short[] Speech(string text)
    {
        using var temp = new TempDirectory();
        ExternalTool.Run("espeak-ng", "-w", temp.File("speech.wav"), text);
        ExternalTool.Run("sox", temp.File("speech.wav"), "-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1", "-L", temp.File("speech.raw"));
        var pcm = RawAudio.ReadInt16(temp.File("speech.raw"));

        // G.722 codes sample pairs; spandsp would read past the end of an odd-length buffer.
        return pcm.AsSpan(0, pcm.Length & ~1).ToArray();
    }

    public static short[] Tone(double frequency, double amplitude, int samples)
    {
        var pcm = new short[samples];
        for (var n = 0; n < samples; n++)
        {
            pcm[n] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * n / SampleRate));
        }

        return pcm;
    }

    /// <summary>Uniform white noise over the full 16-bit range, seeded for reproducibility.</summary>
    public static short[] Noise(int samples, int seed, int amplitude = short.MaxValue)
    {
        var random = new Random(seed);
        var pcm = new short[samples];
        for (var n = 0; n < samples; n++)
        {
            pcm[n] = (short)random.Next(-amplitude - 1, amplitude + 1);
        }

        return pcm;
    }

    /// <summary>Full-scale square wave: both rails, the harshest input for the QMF and the predictor limits.</summary>
    public static short[] FullScaleSquare(int period, int samples)
    {
        var pcm = new short[samples];
        for (var n = 0; n < samples; n++)
        {
            pcm[n] = (n / (period / 2)) % 2 == 0 ? short.MaxValue : short.MinValue;
        }

        return pcm;
    }
}
