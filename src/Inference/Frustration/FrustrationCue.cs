namespace StepAudio.Telephony.Inference.Frustration;

/// <summary>The kinds of evidence a <see cref="FrustrationTracker"/> combines.</summary>
public enum FrustrationCue
{
    /// <summary>An angry, frustrated or otherwise negative-valence emotion estimate, weighted by its confidence.</summary>
    NegativeEmotion,

    /// <summary>Speech louder than the caller's own running baseline.</summary>
    RaisedLoudness,

    /// <summary>A sigh, cry or other vocal sound that signals strain.</summary>
    VocalEvent,

    /// <summary>The same key pressed again and again.</summary>
    DtmfRepeat,

    /// <summary>Many keys in a short time.</summary>
    DtmfMash,

    /// <summary>The flow played a prompt the caller had already heard.</summary>
    RepeatedPrompt,

    /// <summary>The caller spoke over a prompt.</summary>
    BargeIn,

    /// <summary>No answer within the configured time after a prompt.</summary>
    SilenceAfterPrompt,
}
