namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>The emotion labels the analysis reports.</summary>
public enum EmotionLabel
{
    /// <summary>No marked emotion.</summary>
    Neutral,

    /// <summary>High arousal, positive valence.</summary>
    Happy,

    /// <summary>Low arousal, negative valence.</summary>
    Sad,

    /// <summary>High arousal, negative valence.</summary>
    Angry,

    /// <summary>Negative valence with tension: sighs, effortful voice, raised loudness without shouting.</summary>
    Frustrated,

    /// <summary>The cues disagree (for example happy-sounding pitch with sad-sounding energy); no label is trusted.</summary>
    Ambiguous,
}
