namespace StepAudio.Telephony.Inference.Recognition;

/// <summary>What the recogniser heard.</summary>
/// <param name="Text">The words, trimmed; empty when nothing was recognised.</param>
/// <param name="Confidence">
/// 0–1 where the backend gives the means: the duration-weighted mean over segments of <c>exp(avg_logprob)</c> in
/// OpenAI's <c>verbose_json</c> (Whisper's per-token log probability turned into a probability); null otherwise.
/// </param>
/// <param name="Language">The language the backend reported, or null.</param>
public sealed record RecognitionResult(string Text, double? Confidence, string? Language);
