namespace StepAudio.Telephony.Benchmarks.MediaLoad;

/// <summary>A deterministic speech-like test signal (two tones with a 4 Hz syllable envelope) at 8 kHz.</summary>
internal static class MediaLoadSignal
{
    public static ReadOnlyMemory<short> Prompt8k(TimeSpan duration)
    {
        var samples = new short[(int)(duration.TotalSeconds * 8000)];
        for (int i = 0; i < samples.Length; i++)
        {
            double t = i / 8000.0;
            double envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 4 * t));
            samples[i] = (short)(8000 * envelope * (Math.Sin(2 * Math.PI * 220 * t) + (0.5 * Math.Sin(2 * Math.PI * 1320 * t))));
        }

        return samples;
    }
}
