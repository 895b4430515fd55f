namespace StepAudio.Telephony.Inference.Vad;

/// <summary>One stretch of speech, in samples at 16 kHz since the start of the stream (padding included).</summary>
/// <param name="StartSample">First sample of the segment.</param>
/// <param name="EndSample">Sample just after the segment (exclusive end).</param>
public readonly record struct SpeechSegment(long StartSample, long EndSample)
{
    /// <summary>Sample rate that <see cref="StartSample"/> and <see cref="EndSample"/> count in.</summary>
    public const int SampleRate = 16_000;

    // 10^7 ticks per second / 16 000 samples per second: a whole number, so conversions are exact.
    private const long TicksPerSample = TimeSpan.TicksPerSecond / SampleRate;

    /// <summary>Start of the segment since the start of the stream.</summary>
    public TimeSpan Start => TimeSpan.FromTicks(StartSample * TicksPerSample);

    /// <summary>End of the segment since the start of the stream.</summary>
    public TimeSpan End => TimeSpan.FromTicks(EndSample * TicksPerSample);

    /// <summary>Length of the segment.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((EndSample - StartSample) * TicksPerSample);
}
