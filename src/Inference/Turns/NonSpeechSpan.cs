namespace StepAudio.Telephony.Inference.Turns;

/// <summary>A candidate vocal sound outside speech, in samples at 16 kHz since the stream began.</summary>
/// <param name="StartSample">First sample.</param>
/// <param name="EndSample">Sample just after the span (exclusive).</param>
public readonly record struct NonSpeechSpan(long StartSample, long EndSample)
{
    /// <summary>Start since the stream began.</summary>
    public TimeSpan Start => TimeSpan.FromSeconds(StartSample / 16_000.0);

    /// <summary>Length of the span.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds((EndSample - StartSample) / 16_000.0);
}
