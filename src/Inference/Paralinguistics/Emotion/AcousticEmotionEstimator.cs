namespace StepAudio.Telephony.Inference.Paralinguistics.Emotion;

/// <summary>
/// Rule-based emotion from <see cref="AcousticFeatures"/>: every cue is z-scored against <see cref="EmotionNorms"/>,
/// combined into arousal and valence, and the label follows from where (arousal, valence) falls.
/// </summary>
/// <remarks>
/// <para>Arousal = tanh(0.35·z(level) + 0.25·z(F0 level) + 0.2·z(F0 variability) + 0.2·z(rate)): loud, high, lively,
/// fast speech is activated (Scherer 2003; Juslin &amp; Laukka 2003).</para>
/// <para>Valence = tanh(0.3·z(F0 range) + 0.2·z(F0 level) + 0.2·z(HNR) + 0.15·z(F0 slope) − 0.25·z(pauses) − 0.35·tension),
/// tension = max(0, z(tilt)) when the voice is also louder than the norm (a flat tilt at high level is pressed,
/// tense phonation, the mark of anger over joy). Narrow, falling, pause-laden, breathy speech reads negative.</para>
/// <para>Scores with k = 3: happy = σ(ka)σ(kv); angry = σ(ka)σ(−kv); sad = σ(−ka)σ(−kv);
/// frustrated = σ(−kv)·exp(−((a − 0.1)/0.35)²), raised by breathiness (HNR below the norm);
/// neutral = exp(−(a² + v²)/0.15).</para>
/// <para>The result is <see cref="EmotionLabel.Ambiguous"/> when the top two scores are within 0.1, or when the
/// arousal cues contradict each other (one at least +1 SD and another at least −1 SD, e.g. a loud but slow, low
/// voice). Confidence is (top − runner-up) / top. A span with no voiced frame, or under 0.3 s, is neutral with 0
/// confidence: there is no speech to judge. <see cref="EmotionEstimate.Scores"/> holds the five scored labels;
/// Ambiguous is a verdict on them, not a score of its own.</para>
/// <para>Against the population norm a speaker's natural voice is mistaken for emotion (espeak-ng's low, monotone
/// default voice reads as sad); pass the caller's <see cref="SpeakerBaseline.Norms"/> to judge change instead.</para>
/// </remarks>
public sealed class AcousticEmotionEstimator : IEmotionEstimator
{
    /// <summary>The <see cref="EmotionEstimate.Source"/> this estimator reports.</summary>
    public const string SourceName = "acoustic";

    /// <summary>Top two scores closer than this are <see cref="EmotionLabel.Ambiguous"/>.</summary>
    public const double AmbiguityMargin = 0.1;

    private const double Sharpness = 3;
    private const double ConflictZ = 1;

    private readonly EmotionNorms _norms;

    /// <summary>Creates an estimator against <paramref name="norms"/> (default: <see cref="EmotionNorms.TelephoneSpeech"/>).</summary>
    public AcousticEmotionEstimator(EmotionNorms? norms = null)
    {
        _norms = norms ?? EmotionNorms.TelephoneSpeech;
    }

    /// <inheritdoc />
    public EmotionEstimate Estimate(AcousticFeatures features, SpeakerBaseline? speaker = null) =>
        Estimate(features, speaker is { Spans: > 0 } ? speaker.Norms : _norms);

    /// <summary>Estimates against <paramref name="norms"/>, typically a caller's <see cref="SpeakerBaseline.Norms"/>.</summary>
    public static EmotionEstimate Estimate(AcousticFeatures features, EmotionNorms norms)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(norms);
        if (features.DurationSeconds < 0.3 || features.VoicedFraction <= 0 || features.PitchMeanHz <= 0)
        {
            return new EmotionEstimate(EmotionLabel.Neutral, 0, 0, 0, NeutralScores, SourceName);
        }

        var n = norms;
        var zLevel = Z(features.EnergyMeanDbfs, n.LevelDbfs);
        var zPitch = Clamp(12 * Math.Log2(features.PitchMeanHz / n.PitchHz) / n.PitchSpreadSemitones);
        var zVariability = Z(features.PitchStdSemitones, n.PitchStdSemitones);
        var zRate = Z(features.SpeakingRateSyllablesPerSecond, n.RateSyllablesPerSecond);
        var zRange = Z(features.PitchRangeSemitones, n.PitchRangeSemitones);
        var zHnr = Z(features.HarmonicsToNoiseDb, n.HarmonicsToNoiseDb);
        var zTilt = Z(features.SpectralTiltDbPerOctave, n.TiltDbPerOctave);
        var zPause = Z(features.PauseFraction, n.PauseFraction);
        var zSlope = Clamp(features.PitchSlopeSemitonesPerSecond / 4);

        var arousal = Math.Tanh((0.35 * zLevel) + (0.25 * zPitch) + (0.2 * zVariability) + (0.2 * zRate));
        var tension = zLevel > 0 ? Math.Max(0, zTilt) : 0;
        var valence = Math.Tanh((0.3 * zRange) + (0.2 * zPitch) + (0.2 * zHnr) + (0.15 * zSlope) - (0.25 * zPause) - (0.35 * tension));

        var breathiness = Math.Max(0, -zHnr) / 3;
        EmotionScore[] scores =
        [
            new(EmotionLabel.Neutral, Math.Exp(-((arousal * arousal) + (valence * valence)) / 0.15)),
            new(EmotionLabel.Happy, Sigmoid(arousal) * Sigmoid(valence)),
            new(EmotionLabel.Sad, Sigmoid(-arousal) * Sigmoid(-valence)),
            new(EmotionLabel.Angry, Sigmoid(arousal) * Sigmoid(-valence)),
            new(EmotionLabel.Frustrated, Math.Min(1, Sigmoid(-valence) * Math.Exp(-Math.Pow((arousal - 0.1) / 0.35, 2)) * (1 + breathiness))),
        ];
        Array.Sort(scores, static (x, y) => y.Score.CompareTo(x.Score));

        var top = scores[0].Score;
        var gap = top - scores[1].Score;
        var confidence = top > 0 ? Math.Clamp(gap / top, 0, 1) : 0;
        var conflict = Math.Max(Math.Max(zLevel, zPitch), zRate) >= ConflictZ && Math.Min(Math.Min(zLevel, zPitch), zRate) <= -ConflictZ;
        var label = gap < AmbiguityMargin || conflict ? EmotionLabel.Ambiguous : scores[0].Label;
        return new EmotionEstimate(label, confidence, arousal, valence, scores, SourceName);
    }

    private static EmotionScore[] NeutralScores =>
    [
        new(EmotionLabel.Neutral, 1),
        new(EmotionLabel.Happy, 0),
        new(EmotionLabel.Sad, 0),
        new(EmotionLabel.Angry, 0),
        new(EmotionLabel.Frustrated, 0),
    ];

    private static double Z(double value, (double Mean, double Spread) norm) => Clamp((value - norm.Mean) / norm.Spread);

    /// <summary>z-scores are clamped to ±3 so one absurd measure (a clipped, shouted frame) cannot decide alone.</summary>
    private static double Clamp(double z) => double.IsFinite(z) ? Math.Clamp(z, -3, 3) : 0;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-Sharpness * x));
}
