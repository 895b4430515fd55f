using StepAudio.Telephony.Inference.Paralinguistics.Emotion;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>One span of a call's audio waiting for the analyzer; its buffer comes from the shared array pool.</summary>
/// <param name="Owner">The call's analysis, which gets the result.</param>
/// <param name="Audio">16 kHz samples, rented from the shared pool; the runner returns it.</param>
/// <param name="Length">Samples of <paramref name="Audio"/> in use.</param>
/// <param name="Start">Where the span starts, in call (media) time.</param>
/// <param name="IsSpeech">A speech segment (emotion and vocal events) rather than a non-speech candidate span.</param>
/// <param name="Speaker">The caller's voice so far, which the span is judged against.</param>
/// <param name="Turn">The caller's turn this span closed, or 0 for spans that end no turn.</param>
public sealed record AnalysisJob(CallAnalysis Owner, float[] Audio, int Length, TimeSpan Start, bool IsSpeech, SpeakerBaseline Speaker, int Turn = 0);
