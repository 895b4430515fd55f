namespace StepAudio.Telephony.Inference.Turns;

/// <summary>How long after the caller's last voiced audio the end of their turn was announced.</summary>
/// <param name="Audio">On the audio clock: from the end of the last voiced VAD window to the end of the window that closed the segment (the hangover, rounded to windows).</param>
/// <param name="Wall">On the wall clock: from when that last voiced audio reached the detector to when the segment event was raised (hangover plus every processing delay on the way).</param>
public readonly record struct TurnEndLatency(TimeSpan Audio, TimeSpan Wall);
