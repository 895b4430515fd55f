namespace StepAudio.Telephony.Inference.Frustration;

/// <summary>Weights, decay and thresholds of the frustration score (section <c>Frustration</c>).</summary>
/// <remarks>
/// The score is the sum of every cue's weight, each halved every <see cref="HalfLifeSeconds"/> since it was observed,
/// capped at 1. Weights are therefore "how much of the way to certain frustration one such cue goes"; the defaults
/// make two angry segments, or a mashed keypad plus a replayed menu, enough to cross 0.7.
/// </remarks>
public sealed class FrustrationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Frustration";

    /// <summary>Time in which a cue's contribution halves.</summary>
    public double HalfLifeSeconds { get; set; } = 30;

    /// <summary>
    /// Level boundaries, ascending, each in (0, 1); <see langword="null"/> for 0.4 and 0.7. Call flows branch on them
    /// (<c>frustration &gt; 0.7</c>). Null rather than an initialised list because the configuration binder appends
    /// to a list that already has items instead of replacing them.
    /// </summary>
    public double[]? Thresholds { get; set; }

    /// <summary>Names of the levels, one more than the thresholds; <see langword="null"/> for calm, elevated, high.</summary>
    public string[]? LevelNames { get; set; }

    /// <summary>The thresholds in effect.</summary>
    public IReadOnlyList<double> EffectiveThresholds => Thresholds ?? [0.4, 0.7];

    /// <summary>The level names in effect.</summary>
    public IReadOnlyList<string> EffectiveLevelNames => LevelNames ?? ["calm", "elevated", "high"];

    /// <summary>How far below a threshold the score must fall before its level is left again (avoids flapping).</summary>
    public double Hysteresis { get; set; } = 0.05;

    /// <summary>A change is also reported when the score moved this much since the last report.</summary>
    public double ReportDelta { get; set; } = 0.15;

    /// <summary>Weight of a fully confident angry or frustrated segment.</summary>
    public double NegativeEmotionWeight { get; set; } = 0.35;

    /// <summary>Weight of speech <see cref="LoudnessFullScaleDb"/> or more above the caller's baseline.</summary>
    public double LoudnessWeight { get; set; } = 0.15;

    /// <summary>Smallest rise above the caller's baseline that counts.</summary>
    public double LoudnessMinDb { get; set; } = 4;

    /// <summary>Rise above the baseline that earns the full <see cref="LoudnessWeight"/>.</summary>
    public double LoudnessFullScaleDb { get; set; } = 10;

    /// <summary>Weight of a fully confident long sigh (shorter sighs count half).</summary>
    public double SighWeight { get; set; } = 0.15;

    /// <summary>A sigh at least this long is a long sigh.</summary>
    public double LongSighSeconds { get; set; } = 0.6;

    /// <summary>Weight of crying.</summary>
    public double CryingWeight { get; set; } = 0.3;

    /// <summary>Weight of a gasp, throat-clear or cough (weak signs of strain). Laughter adds nothing.</summary>
    public double OtherVocalEventWeight { get; set; } = 0.03;

    /// <summary>Weight of each press that repeats the previous key <see cref="DtmfRepeatCount"/> times or more.</summary>
    public double DtmfRepeatWeight { get; set; } = 0.1;

    /// <summary>Presses of the same key in a row (each within <see cref="DtmfRepeatWindowSeconds"/>) that count as repeating.</summary>
    public int DtmfRepeatCount { get; set; } = 3;

    /// <summary>Longest gap between two presses of a repeated key.</summary>
    public double DtmfRepeatWindowSeconds { get; set; } = 3;

    /// <summary>Weight of a burst of mashed keys.</summary>
    public double DtmfMashWeight { get; set; } = 0.25;

    /// <summary>Presses within <see cref="DtmfMashWindowSeconds"/> that count as mashing.</summary>
    public int DtmfMashKeys { get; set; } = 5;

    /// <summary>Window for <see cref="DtmfMashKeys"/>.</summary>
    public double DtmfMashWindowSeconds { get; set; } = 2;

    /// <summary>Weight of each replay of a prompt the caller has already heard.</summary>
    public double RepeatedPromptWeight { get; set; } = 0.2;

    /// <summary>Weight of a barge-in.</summary>
    public double BargeInWeight { get; set; } = 0.08;

    /// <summary>Weight of no answer after a prompt.</summary>
    public double SilenceAfterPromptWeight { get; set; } = 0.1;

    /// <summary>Silence after a prompt that counts as no answer.</summary>
    public double SilenceAfterPromptSeconds { get; set; } = 6;

    /// <summary>How many reasons a change carries.</summary>
    public int MaxReasons { get; set; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(HalfLifeSeconds > 0))
        {
            throw new ArgumentException("Frustration:HalfLifeSeconds must be positive.", nameof(HalfLifeSeconds));
        }

        var thresholds = EffectiveThresholds;
        for (var i = 0; i < thresholds.Count; i++)
        {
            if (!(thresholds[i] > 0 && thresholds[i] < 1) || (i > 0 && thresholds[i] <= thresholds[i - 1]))
            {
                throw new ArgumentException("Frustration:Thresholds must be ascending values between 0 and 1.", nameof(Thresholds));
            }
        }

        if (EffectiveLevelNames.Count != thresholds.Count + 1)
        {
            throw new ArgumentException("Frustration:LevelNames must have one more entry than Frustration:Thresholds.", nameof(LevelNames));
        }

        if (!(Hysteresis >= 0 && Hysteresis < 1) || !(ReportDelta > 0) || MaxReasons < 0 || DtmfRepeatCount < 2 || DtmfMashKeys < 2)
        {
            throw new ArgumentException(
                "Frustration: Hysteresis must be in [0, 1), ReportDelta positive, MaxReasons not negative, DtmfRepeatCount and DtmfMashKeys at least 2.");
        }
    }
}
