namespace StepAudio.Telephony.Inference.Dtmf;

/// <summary>One key press heard in the audio.</summary>
/// <param name="Digit">0-9, *, # or A-D.</param>
/// <param name="Start">When the tone began, measured from the first sample the detector saw.</param>
/// <param name="Duration">How long the tone lasted (accurate to one analysis hop, 10 ms).</param>
public readonly record struct DtmfDigit(char Digit, TimeSpan Start, TimeSpan Duration);
