namespace StepAudio.Telephony.Inference.Vad;

/// <summary>
/// A sample rate Silero VAD v5 runs at, with its window shape: 16 kHz takes 512 new samples after 64 of context, 8 kHz
/// takes 256 after 32. Both windows last 32 ms, so window counts, offsets and the segmenter's timing are the same at
/// either rate; an 8 kHz window costs about half the compute of a 16 kHz one and needs no 8 → 16 kHz resampling of
/// narrowband (G.711) audio.
/// </summary>
/// <remarks>
/// The 8 kHz shape is the one of Silero's own reference code (<c>OnnxWrapper</c>: <c>num_samples = 256</c>,
/// <c>context_size = 32</c> when <c>sr == 8000</c>); the model takes <c>sr</c> as an input.
/// </remarks>
public sealed class SileroRate
{
    /// <summary>16 kHz: wideband codecs (G.722) and any audio given at 16 kHz.</summary>
    public static readonly SileroRate Wideband = new(16_000, 512, 64);

    /// <summary>8 kHz: narrowband codecs (G.711 µ-law and A-law).</summary>
    public static readonly SileroRate Narrowband = new(8_000, 256, 32);

    private SileroRate(int sampleRate, int windowSamples, int contextSamples)
    {
        SampleRate = sampleRate;
        WindowSamples = windowSamples;
        ContextSamples = contextSamples;
        InputSamples = contextSamples + windowSamples;
        SamplesPerMs = sampleRate / 1000;
    }

    /// <summary>Samples per second.</summary>
    public int SampleRate { get; }

    /// <summary>New samples per 32 ms window.</summary>
    public int WindowSamples { get; }

    /// <summary>Samples of the previous window that precede each window in the model input.</summary>
    public int ContextSamples { get; }

    /// <summary>Model input per stream per run (<see cref="ContextSamples"/> + <see cref="WindowSamples"/>).</summary>
    public int InputSamples { get; }

    /// <summary>Samples per millisecond.</summary>
    public int SamplesPerMs { get; }

    /// <summary>The rate of <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Neither 8,000 nor 16,000.</exception>
    public static SileroRate Of(int sampleRate) => sampleRate switch
    {
        16_000 => Wideband,
        8_000 => Narrowband,
        _ => throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Silero VAD runs at 8,000 or 16,000 Hz."),
    };

    /// <inheritdoc />
    public override string ToString() => $"{SampleRate} Hz";
}
