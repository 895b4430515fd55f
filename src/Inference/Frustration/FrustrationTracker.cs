using System.Globalization;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Inference.Frustration;

/// <summary>
/// One call's frustration score, 0–1, from acoustic cues (emotion, loudness against the caller's own baseline, vocal
/// sounds) and behaviour (repeated or mashed keys, replayed prompts, barge-ins, silence after prompts).
/// </summary>
/// <remarks>
/// Every cue is kept as a <see cref="FrustrationReason"/> whose contribution halves every half-life; the score is
/// their sum, capped at 1, so it can always be explained by the reasons it holds. Times are call-relative and must not
/// go backwards (a later call with an earlier time is treated as happening now). One owner, not thread-safe.
/// </remarks>
public sealed class FrustrationTracker
{
    // Contributions decayed below this no longer matter to any threshold; dropping them bounds memory on long calls.
    private const double Negligible = 1e-3;
    private const int MaxKept = 256;
    private const double BaselineSmoothing = 0.2;

    private readonly FrustrationOptions _options;
    private readonly IReadOnlyList<double> _thresholds;
    private readonly IReadOnlyList<string> _levelNames;
    private readonly List<FrustrationReason> _reasons = [];
    private readonly Queue<TimeSpan> _recentKeys = new();
    private readonly Dictionary<string, int> _promptPlays = new(StringComparer.Ordinal);
    private TimeSpan _now;
    private double _lastReported;
    private double? _loudnessBaselineDb;
    private char _lastKey;
    private TimeSpan _lastKeyAt;
    private int _keyRun;
    private TimeSpan? _awaitingAnswerSince;

    /// <summary>Creates a tracker for one call.</summary>
    public FrustrationTracker(FrustrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _thresholds = options.EffectiveThresholds;
        _levelNames = options.EffectiveLevelNames;
    }

    /// <summary>The score at the time of the latest input, 0–1.</summary>
    public double Current => ScoreAt(_now);

    /// <summary>The highest score so far.</summary>
    public double Peak { get; private set; }

    /// <summary>The current band: 0 below the first threshold, i once the i-th has been crossed (with hysteresis).</summary>
    public int Level { get; private set; }

    /// <summary>The current band's name.</summary>
    public string LevelName => _levelNames[Level];

    /// <summary>Whether the current score is above <paramref name="threshold"/>: what a call flow's <c>frustration &gt; 0.7</c> asks.</summary>
    public bool IsAbove(double threshold) => Current > threshold;

    /// <summary>The reasons that contribute most now, largest first, with their decayed contributions.</summary>
    public IReadOnlyList<FrustrationReason> TopReasons(int count)
    {
        return _reasons
            .Select(r => r with { Contribution = Decayed(r, _now) })
            .OrderByDescending(r => r.Contribution)
            .Take(count)
            .ToList();
    }

    /// <summary>Takes in the analysis of a speech segment or non-speech span.</summary>
    public FrustrationChange? OnSegment(SegmentAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var at = analysis.Start + analysis.Duration;
        Advance(at);
        if (analysis.IsSpeech)
        {
            _awaitingAnswerSince = null;
            var emotion = analysis.Emotion;
            var negativity = emotion.Label switch
            {
                EmotionLabel.Angry or EmotionLabel.Frustrated => 1.0,
                EmotionLabel.Sad => 0.5,
                _ => Math.Max(0, -emotion.Valence),
            };
            var confidence = Math.Clamp(emotion.Confidence, 0, 1);
            Add(FrustrationCue.NegativeEmotion, _options.NegativeEmotionWeight * confidence * negativity, at,
                Format($"{emotion.Label} {confidence:0.00}"));
            ObserveLoudness(analysis.Features.EnergyMeanDbfs, at);
        }

        foreach (var vocal in analysis.VocalEvents)
        {
            var weight = vocal.Kind switch
            {
                VocalEventKind.Sigh => _options.SighWeight * (vocal.Duration.TotalSeconds >= _options.LongSighSeconds ? 1 : 0.5),
                VocalEventKind.Crying => _options.CryingWeight,
                VocalEventKind.Laugh => 0,
                _ => _options.OtherVocalEventWeight,
            };
            Add(FrustrationCue.VocalEvent, weight * Math.Clamp(vocal.Confidence, 0, 1), vocal.Start,
                Format($"{vocal.Kind} {vocal.Duration.TotalSeconds:0.0} s"));
        }

        return Report();
    }

    /// <summary>The caller pressed <paramref name="key"/>.</summary>
    public FrustrationChange? OnDtmf(char key, TimeSpan at)
    {
        Advance(at);
        _awaitingAnswerSince = null;
        _keyRun = key == _lastKey && _keyRun > 0 && at - _lastKeyAt <= TimeSpan.FromSeconds(_options.DtmfRepeatWindowSeconds) ? _keyRun + 1 : 1;
        _lastKey = key;
        _lastKeyAt = at;
        if (_keyRun >= _options.DtmfRepeatCount)
        {
            Add(FrustrationCue.DtmfRepeat, _options.DtmfRepeatWeight, at, Format($"key {key} x{_keyRun}"));
        }

        var window = TimeSpan.FromSeconds(_options.DtmfMashWindowSeconds);
        _recentKeys.Enqueue(at);
        while (_recentKeys.Count > 0 && at - _recentKeys.Peek() > window)
        {
            _recentKeys.Dequeue();
        }

        if (_recentKeys.Count >= _options.DtmfMashKeys)
        {
            // One burst is one cue: the window starts afresh so a long burst is not counted once per key.
            Add(FrustrationCue.DtmfMash, _options.DtmfMashWeight, at, Format($"{_recentKeys.Count} keys in {window.TotalSeconds:0.#} s"));
            _recentKeys.Clear();
        }

        return Report();
    }

    /// <summary>The caller started to speak while a prompt played.</summary>
    public FrustrationChange? OnBargeIn(TimeSpan at)
    {
        Advance(at);
        _awaitingAnswerSince = null;
        Add(FrustrationCue.BargeIn, _options.BargeInWeight, at, "spoke over a prompt");
        return Report();
    }

    /// <summary>The caller started to speak (an answer: it ends the wait for one after a prompt).</summary>
    public FrustrationChange? OnSpeechStarted(TimeSpan at)
    {
        Advance(at);
        _awaitingAnswerSince = null;
        return Report();
    }

    /// <summary>The flow started prompt <paramref name="promptId"/>; a prompt heard before counts as a repeated menu.</summary>
    /// <param name="promptId">Names the prompt (a flow's step).</param>
    /// <param name="at">Call time.</param>
    /// <param name="continuation">
    /// The same prompt goes on (a <c>loop</c> the flow asked for): no answer was awaited in between, so it is no
    /// repetition the caller caused.
    /// </param>
    public FrustrationChange? OnPromptStarted(string promptId, TimeSpan at, bool continuation = false)
    {
        ArgumentNullException.ThrowIfNull(promptId);
        Advance(at);
        _awaitingAnswerSince = null;
        if (continuation)
        {
            return Report();
        }

        var plays = _promptPlays.GetValueOrDefault(promptId) + 1;
        _promptPlays[promptId] = plays;
        if (plays > 1)
        {
            Add(FrustrationCue.RepeatedPrompt, _options.RepeatedPromptWeight, at, Format($"{promptId} played {plays} times"));
        }

        return Report();
    }

    /// <summary>A prompt finished; from now the tracker waits for an answer (speech or a key).</summary>
    public FrustrationChange? OnPromptFinished(TimeSpan at)
    {
        Advance(at);
        _awaitingAnswerSince = at;
        return Report();
    }

    /// <summary>
    /// The caller gave no answer for <paramref name="silence"/> after a prompt. <see cref="Tick"/> notices this by
    /// itself after <see cref="FrustrationOptions.SilenceAfterPromptSeconds"/>; flows that time their own questions call it directly.
    /// </summary>
    public FrustrationChange? OnSilenceAfterPrompt(TimeSpan silence, TimeSpan at)
    {
        Advance(at);
        _awaitingAnswerSince = null;
        Add(FrustrationCue.SilenceAfterPrompt, _options.SilenceAfterPromptWeight, at, Format($"no answer for {silence.TotalSeconds:0.#} s"));
        return Report();
    }

    /// <summary>Time passed without input: applies decay (a level may be left) and the silence-after-prompt rule.</summary>
    public FrustrationChange? Tick(TimeSpan now)
    {
        if (_awaitingAnswerSince is { } since && now - since >= TimeSpan.FromSeconds(_options.SilenceAfterPromptSeconds))
        {
            return OnSilenceAfterPrompt(now - since, now);
        }

        Advance(now);
        return Report();
    }

    /// <summary>The score at <paramref name="at"/> (not before the latest input), 0–1.</summary>
    public double ScoreAt(TimeSpan at)
    {
        var sum = 0.0;
        foreach (var reason in _reasons)
        {
            sum += Decayed(reason, at);
        }

        return Math.Min(1, sum);
    }

    private void ObserveLoudness(double energyDbfs, TimeSpan at)
    {
        if (!double.IsFinite(energyDbfs))
        {
            return;
        }

        if (_loudnessBaselineDb is not { } baseline)
        {
            _loudnessBaselineDb = energyDbfs;
            return;
        }

        var rise = energyDbfs - baseline;
        if (rise >= _options.LoudnessMinDb)
        {
            Add(FrustrationCue.RaisedLoudness, _options.LoudnessWeight * Math.Min(1, rise / _options.LoudnessFullScaleDb), at,
                Format($"+{rise:0.0} dB over the caller's usual level"));
        }

        // The baseline follows the caller slowly, so a caller who stays loud stops counting as raised.
        _loudnessBaselineDb = baseline + (BaselineSmoothing * rise);
    }

    private void Advance(TimeSpan at)
    {
        if (at > _now)
        {
            _now = at;
        }
    }

    private void Add(FrustrationCue cue, double contribution, TimeSpan at, string detail)
    {
        if (!(contribution > 0))
        {
            return;
        }

        _reasons.Add(new FrustrationReason(cue, contribution, at, detail));
        _reasons.RemoveAll(r => Decayed(r, _now) < Negligible);
        if (_reasons.Count > MaxKept)
        {
            _reasons.RemoveAt(0);
        }
    }

    private double Decayed(FrustrationReason reason, TimeSpan at)
    {
        var age = Math.Max(0, (at - reason.At).TotalSeconds);
        return reason.Contribution * Math.Pow(2, -age / _options.HalfLifeSeconds);
    }

    private FrustrationChange? Report()
    {
        var score = Current;
        Peak = Math.Max(Peak, score);
        var previousLevel = Level;
        var level = Level;
        while (level < _thresholds.Count && score >= _thresholds[level])
        {
            level++;
        }

        while (level > 0 && score < _thresholds[level - 1] - _options.Hysteresis)
        {
            level--;
        }

        Level = level;
        double? crossed = level > previousLevel ? _thresholds[level - 1] : level < previousLevel ? _thresholds[level] : null;
        if (crossed is null && Math.Abs(score - _lastReported) < _options.ReportDelta)
        {
            return null;
        }

        var change = new FrustrationChange(_now, score, _lastReported, level, _levelNames[level], crossed, TopReasons(_options.MaxReasons));
        _lastReported = score;
        return change;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
