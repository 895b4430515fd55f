namespace StepAudio.Telephony.Inference.Frustration;

/// <summary>A reportable change of a call's frustration score.</summary>
/// <param name="At">When, call-relative.</param>
/// <param name="Score">The score now, 0–1.</param>
/// <param name="Previous">The score last reported (0 before the first report).</param>
/// <param name="Level">The band now: 0 below the first threshold, i after crossing the i-th.</param>
/// <param name="LevelName">The band's configured name.</param>
/// <param name="ThresholdCrossed">The threshold crossed (up or down), or <see langword="null"/> when the score only moved.</param>
/// <param name="TopReasons">The largest current contributions, largest first.</param>
public sealed record FrustrationChange(
    TimeSpan At,
    double Score,
    double Previous,
    int Level,
    string LevelName,
    double? ThresholdCrossed,
    IReadOnlyList<FrustrationReason> TopReasons);
