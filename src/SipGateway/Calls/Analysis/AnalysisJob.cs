using StepAudio.Telephony.Inference.Paralinguistics.Emotion;

namespace StepAudio.Telephony.SipGateway.Calls.Analysis;

/// <summary>One span of a call's audio waiting for the analyzer; its buffer comes from the shared array pool.</summary>
internal sealed record AnalysisJob(CallAnalysis Owner, float[] Audio, int Length, TimeSpan Start, bool IsSpeech, SpeakerBaseline Speaker);
