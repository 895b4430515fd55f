namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>Kinds of <see cref="CallerInput"/>.</summary>
public enum CallerInputKind
{
    /// <summary>A key press.</summary>
    Digit,

    /// <summary>The caller started speaking (turn detection).</summary>
    SpeechStarted,

    /// <summary>The caller finished an utterance (end of turn).</summary>
    SpeechEnded,

    /// <summary>
    /// What started as speech was too short to count (a breath, a click): no turn follows the
    /// <see cref="SpeechStarted"/> that announced it.
    /// </summary>
    SpeechDropped,
}
