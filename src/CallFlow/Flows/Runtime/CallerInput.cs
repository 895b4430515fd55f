namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Something the caller did, stamped with the call's clock (<see cref="ICallSignals.Now"/>).</summary>
/// <param name="Kind">Key, start or end of speech.</param>
/// <param name="At">When, since the call was answered.</param>
/// <param name="Digit">The key for <see cref="CallerInputKind.Digit"/> (0-9, *, #, A-D); otherwise '\0'.</param>
/// <param name="Duration">Length of the utterance for <see cref="CallerInputKind.SpeechEnded"/>; otherwise zero.</param>
/// <param name="Turn">The turn that <see cref="CallerInputKind.SpeechEnded"/> ended; null for other kinds and for channels without turns.</param>
/// <param name="Text">The recognised words of <see cref="CallerInputKind.SpeechEnded"/> when a recogniser is configured; otherwise null.</param>
/// <param name="Confidence">The recogniser's confidence in <paramref name="Text"/> (0–1), when it gives one.</param>
public readonly record struct CallerInput(
    CallerInputKind Kind, TimeSpan At, char Digit = '\0', TimeSpan Duration = default, CallerTurn? Turn = null, string? Text = null, double? Confidence = null);
