using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallFlow.Flows.Validation;

/// <summary>
/// What a flow will meet at run time, for the checks that the YAML alone cannot decide: the prompt directory that
/// <c>play</c> reads, and the voices the speech engine has.
/// </summary>
/// <param name="PromptsDirectory">Full path of the prompt directory; null when none is configured.</param>
/// <param name="Voices">The speech engine's voices; null skips the voice check (no engine to ask).</param>
public sealed record FlowEnvironment(string? PromptsDirectory, IVoiceCatalog? Voices);
