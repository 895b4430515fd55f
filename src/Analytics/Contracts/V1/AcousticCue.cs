namespace StepAudio.Telephony.Analytics.Contracts.V1;

/// <summary>
/// One acoustic measure's part in a trained model's decision (<see cref="EmotionDetected"/>, <see cref="VocalEventDetected"/>):
/// why the analysis said what it said, in terms an analyst can check against the audio's measures.
/// </summary>
/// <param name="Cue">The measure's name, for example <c>pitch_re_caller_st</c> (pitch against the caller's own baseline, semitones) or <c>mel3_db</c>.</param>
/// <param name="Value">The measure as observed, in its own unit.</param>
/// <param name="Contribution">The model's weight times the standardised measure, in logits: positive pushed towards the decision.</param>
public sealed record AcousticCue(string Cue, double Value, double Contribution);
