namespace StepAudio.Telephony.Inference.Paralinguistics.Emotion;

/// <summary>
/// A per-call running baseline of one caller's voice: the level, F0, variability, range, rate, HNR, tilt and pauses of
/// their speech spans so far, shrunk towards <see cref="EmotionNorms.TelephoneSpeech"/> until enough speech has been
/// heard, and the colour of their spectrum (<see cref="CallerSpectrum"/>). Passed to
/// <see cref="AcousticEmotionEstimator.Estimate(AcousticFeatures, EmotionNorms)"/>, it makes the cues relative to this
/// caller (a naturally high or loud voice is not excitement) and lets a change within the call show. One instance per
/// call; thread-safe.
/// </summary>
/// <remarks>
/// Each mean is (Σ speaker values + k·population mean) / (n + k) with k = <see cref="PriorSpans"/>: after one span the
/// population still carries 3/4 of the weight, after 12 spans 1/5. Spreads stay the population's: a handful of
/// spans cannot estimate a spread. Spans with no voicing (no speech to learn from) are ignored.
/// </remarks>
public sealed class SpeakerBaseline
{
    /// <summary>Weight of the population norm, in spans.</summary>
    public const double PriorSpans = 3;

    private readonly EmotionNorms _population;
    private readonly Lock _gate = new();
    private readonly double[] _bands = new double[Features.SpectralTables.BandCount];
    private double _spans, _level, _pitchSemitones, _pitchStd, _pitchRange, _rate, _hnr, _tilt, _pauses, _spectra, _spectraTilt;

    /// <summary>Starts a baseline that begins at <paramref name="population"/> (default: telephone speech).</summary>
    public SpeakerBaseline(EmotionNorms? population = null)
    {
        _population = population ?? EmotionNorms.TelephoneSpeech;
    }

    /// <summary>Speech spans learned from so far.</summary>
    public int Spans
    {
        get
        {
            lock (_gate)
            {
                return (int)_spans;
            }
        }
    }

    /// <summary>
    /// What the trained models judge a span of <paramref name="speaker"/> against: the caller's norms once they have
    /// spoken, else the telephone population's. One place, so that training (<c>stepaudio train</c>) and a call agree.
    /// </summary>
    public static EmotionNorms NormsFor(SpeakerBaseline? speaker) => speaker is { Spans: > 0 } ? speaker.Norms : EmotionNorms.TelephoneSpeech;

    /// <summary>Adds one speech span's measures. Judge a span against the baseline before adding it.</summary>
    public void Observe(AcousticFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.VoicedFraction <= 0 || features.PitchMeanHz <= 0 || !double.IsFinite(features.EnergyMeanDbfs))
        {
            return;
        }

        lock (_gate)
        {
            _spans++;
            _level += features.EnergyMeanDbfs;

            // F0 is averaged on the semitone scale, as it is perceived.
            _pitchSemitones += 12 * Math.Log2(features.PitchMeanHz / _population.PitchHz);
            _pitchStd += features.PitchStdSemitones;
            _pitchRange += features.PitchRangeSemitones;
            _rate += features.SpeakingRateSyllablesPerSecond;
            _hnr += features.HarmonicsToNoiseDb;
            _tilt += features.SpectralTiltDbPerOctave;
            _pauses += features.PauseFraction;
            if (features.Shape is { } shape && shape.BandLevelsDb.Count == _bands.Length && shape.BandLevelsDb.All(double.IsFinite))
            {
                _spectra++;
                _spectraTilt += features.SpectralTiltDbPerOctave;
                for (var b = 0; b < _bands.Length; b++)
                {
                    _bands[b] += shape.BandLevelsDb[b];
                }
            }
        }
    }

    /// <summary>The norms for this caller now.</summary>
    public EmotionNorms Norms
    {
        get
        {
            lock (_gate)
            {
                var p = _population;
                var pitchOffset = _spans > 0 ? _pitchSemitones / (_spans + PriorSpans) : 0;
                return p with
                {
                    LevelDbfs = Blend(p.LevelDbfs, _level),
                    PitchHz = p.PitchHz * Math.Pow(2, pitchOffset / 12),
                    PitchStdSemitones = Blend(p.PitchStdSemitones, _pitchStd),
                    PitchRangeSemitones = Blend(p.PitchRangeSemitones, _pitchRange),
                    RateSyllablesPerSecond = Blend(p.RateSyllablesPerSecond, _rate),
                    HarmonicsToNoiseDb = Blend(p.HarmonicsToNoiseDb, _hnr),
                    TiltDbPerOctave = Blend(p.TiltDbPerOctave, _tilt),
                    PauseFraction = Blend(p.PauseFraction, _pauses),
                    Spectrum = _spectra > 0
                        ? new CallerSpectrum([.. _bands.Select(sum => sum / _spectra)], _spectraTilt / _spectra, _spectra / (_spectra + PriorSpans))
                        : null,
                };
            }
        }
    }

    private (double Mean, double Spread) Blend((double Mean, double Spread) population, double speakerSum) =>
        ((speakerSum + (PriorSpans * population.Mean)) / (_spans + PriorSpans), population.Spread);
}
