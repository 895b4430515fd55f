namespace StepAudio.Telephony.Inference.Frustration;

/// <summary>One piece of evidence and what it adds to the score.</summary>
/// <param name="Cue">What kind of evidence.</param>
/// <param name="Contribution">What it adds to the score: at the time it was observed, or after decay when returned by <see cref="FrustrationTracker.TopReasons"/>.</param>
/// <param name="At">When it was observed, call-relative.</param>
/// <param name="Detail">A short human-readable explanation (<c>Angry 0.80</c>, <c>key 0 x3</c>).</param>
public sealed record FrustrationReason(FrustrationCue Cue, double Contribution, TimeSpan At, string Detail)
{
    /// <summary>The cue's wire name, as analytics events carry it (<c>negative-emotion</c>, <c>dtmf-mash</c>, …).</summary>
    public string CueName => Cue switch
    {
        FrustrationCue.NegativeEmotion => "negative-emotion",
        FrustrationCue.RaisedLoudness => "raised-loudness",
        FrustrationCue.VocalEvent => "vocal-event",
        FrustrationCue.DtmfRepeat => "dtmf-repeat",
        FrustrationCue.DtmfMash => "dtmf-mash",
        FrustrationCue.RepeatedPrompt => "repeated-prompt",
        FrustrationCue.BargeIn => "barge-in",
        FrustrationCue.SilenceAfterPrompt => "silence-after-prompt",
        _ => Cue.ToString(),
    };
}
