namespace StepAudio.Telephony.Inference.Paralinguistics;

/// <summary>Non-verbal vocal sounds the analysis detects.</summary>
public enum VocalEventKind
{
    /// <summary>A long breathy exhalation with falling energy.</summary>
    Sigh,

    /// <summary>A train of voiced or breathy bursts at 4–6 per second.</summary>
    Laugh,

    /// <summary>A short, sharp, noisy inhalation.</summary>
    Gasp,

    /// <summary>A short low-pitched, noisy, rough burst.</summary>
    ThroatClear,

    /// <summary>An explosive broadband burst with a fast onset.</summary>
    Cough,

    /// <summary>Sustained voiced sobbing: irregular, high, unstable pitch with bursts.</summary>
    Crying,
}
