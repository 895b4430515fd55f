namespace StepAudio.Telephony.Inference.Vad;

/// <summary>Speech probability of one 32 ms window.</summary>
/// <param name="SampleOffset">First sample of the window's 512 new samples, at 16 kHz since the stream began.</param>
/// <param name="Probability">Speech probability, 0 to 1.</param>
public readonly record struct VadWindowResult(long SampleOffset, float Probability);
