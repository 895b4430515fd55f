using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Tests.TestSupport;
using Xunit.Abstractions;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.Features;

/// <summary>
/// Pitch on real speech (EmoDB sentences, male and female, four emotions) must survive the telephone channel
/// (scripts/telephone-channel.sh: 300–3400 Hz, 8 kHz, G.711 µ-law), which removes the fundamental of most voices.
/// The wideband track is the reference. Set STEPAUDIO_PITCH_SET to a folder with the same layout
/// (wideband/*.wav, telephone/*.wav) to measure a larger set.
/// </summary>
/// <remarks>
/// For measuring variants (README "Pitch through the phone line"), not for CI: STEPAUDIO_PITCH_HARMONIC_COST sets the
/// octave path's harmonic-evidence cost of the band-limited tracks and of the span pitch (unset: as shipped);
/// STEPAUDIO_PITCH_REFERENCE_HARMONIC_COST the same for the full-band reference; STEPAUDIO_PITCH_REFERENCE_SUBHARMONIC=0
/// turns the reference's subharmonic check off.
/// </remarks>
public sealed class TelephonePitchTests(ITestOutputHelper output)
{
    /// <summary>An octave error is a telephone frame more than 5 semitones from the wideband frame.</summary>
    private const double OctaveErrorSemitones = 5;

    [Fact]
    public void Median_pitch_through_G711_stays_put_and_octave_errors_are_rare()
    {
        var set = Environment.GetEnvironmentVariable("STEPAUDIO_PITCH_SET") is { Length: > 0 } custom ? custom : RealRecordings.Path("pitch");
        using var scratch = new TempDirectory();
        var files = Directory.GetFiles(Path.Combine(set, "wideband"), "*.wav").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 10, $"only {files.Count} clips in {set}");

        int bothVoiced = 0, octaveErrors = 0, up = 0, onlyWide = 0, onlyPhone = 0, referenceOnly = 0;
        var worstPitchError = 0.0;
        var plainMedianMisses = 0; // for comparison only: the plain median of every voiced frame
        var histogram = new int[49];
        var failures = new List<string>();
        var praatDir = Path.Combine(set, "praat");
        var praat = new PraatScore(Directory.Exists(praatDir));
        foreach (var wideFile in files)
        {
            var name = Path.GetFileName(wideFile);
            var wideAudio = SoxAudio.ReadMono16k(wideFile, scratch.Path);
            var wide = Reference(wideAudio);
            var phoneAudio = SoxAudio.ReadMono16k(Path.Combine(set, "telephone", name), scratch.Path);
            var wideBand = Track(wideAudio, telephoneBand: true);
            var phone = Track(phoneAudio, telephoneBand: true);

            // The clip's pitch as the analyzer reports it (AcousticFeatures.PitchMeanHz), not a test-only statistic.
            var pitchWide = Pitch(wideAudio);
            var pitchPhone = Pitch(phoneAudio);
            var pitchError = Math.Abs((pitchPhone / pitchWide) - 1);
            worstPitchError = Math.Max(worstPitchError, pitchError);
            plainMedianMisses += Math.Abs((MedianOrZero([.. phone.Where(f => f > 0)]) / MedianOrZero([.. wideBand.Where(f => f > 0)])) - 1) > 0.05 ? 1 : 0;
            int clipBoth = 0, clipErrors = 0;
            for (var i = 0; i < Math.Min(wide.Length, phone.Length); i++)
            {
                if (wide[i] > 0 && phone[i] > 0)
                {
                    clipBoth++;
                    if (Off(phone[i], wide[i]))
                    {
                        clipErrors++;
                        up += phone[i] > wide[i] ? 1 : 0;

                        // The reference alone disagrees: the wideband copy tracked in the telephone band agrees with
                        // the G.711 copy (the error may be the reference's own).
                        referenceOnly += i < wideBand.Length && wideBand[i] > 0 && !Off(phone[i], wideBand[i]) ? 1 : 0;
                        histogram[Math.Clamp((int)Math.Round(12 * Math.Log2(phone[i] / wide[i])) + 24, 0, 48)]++;
                    }
                }
            }

            bothVoiced += clipBoth;
            for (var i = 0; i < Math.Min(wide.Length, phone.Length); i++)
            {
                onlyWide += wide[i] > 0 && phone[i] == 0 ? 1 : 0;
                onlyPhone += wide[i] == 0 && phone[i] > 0 ? 1 : 0;
            }

            octaveErrors += clipErrors;
            if (praat.On)
            {
                var note = praat.Add(PraatPitchTrack.Load(Path.Combine(praatDir, Path.ChangeExtension(name, ".f0"))), phone, wide, pitchPhone);
                if (note is not null)
                {
                    output.WriteLine($"  {name} against Praat: {note}");
                }
            }

            output.WriteLine($"{name}: pitch {pitchWide:F0} Hz wideband, {pitchPhone:F0} Hz telephone ({pitchError:P1}); octave errors {clipErrors}/{clipBoth}");
            if (pitchError > 0.05)
            {
                failures.Add($"{name}: {pitchWide:F0} → {pitchPhone:F0} Hz");

                // Why it moved: the medians over the frames voiced in both tracks (octave choice), against the frames
                // voiced in one track only (the voicing decision).
                var n = Math.Min(wideBand.Length, phone.Length);
                var common = Enumerable.Range(0, n).Where(i => wideBand[i] > 0 && phone[i] > 0).ToList();
                var wideOnly = Enumerable.Range(0, n).Where(i => wideBand[i] > 0 && phone[i] == 0).Select(i => wideBand[i]).ToArray();
                var phoneOnly = Enumerable.Range(0, n).Where(i => wideBand[i] == 0 && phone[i] > 0).Select(i => phone[i]).ToArray();
                output.WriteLine($"  common {common.Count} frames: median {MedianOrZero([.. common.Select(i => wideBand[i])]):F0} Hz wideband, {MedianOrZero([.. common.Select(i => phone[i])]):F0} Hz telephone; "
                    + $"only wideband {wideOnly.Length} (median {MedianOrZero(wideOnly):F0} Hz), only telephone {phoneOnly.Length} (median {MedianOrZero(phoneOnly):F0} Hz)");
            }
        }

        var errorRate = octaveErrors / (double)bothVoiced;
        output.WriteLine("semitones off (telephone − wideband) of octave errors: " + string.Join(" ", histogram.Select((c, k) => c > 0 ? $"{k - 24}:{c}" : "").Where(x => x.Length > 0)));
        output.WriteLine($"{files.Count} clips: worst pitch error {worstPitchError:P1}, {failures.Count} over 5 % (plain median of every voiced frame: {plainMedianMisses}); octave errors {octaveErrors}/{bothVoiced} = {errorRate:P2} (up {up}; the wideband copy's telephone-band track agrees with the G.711 copy in {referenceOnly}); voiced only wideband {onlyWide}, only telephone {onlyPhone}");
        // Floors under what the committed clips measure (0.88 % octave errors, 6 of 681 frames, since the path's
        // harmonic evidence; 3.08 %, 21 frames, before it; every clip's pitch within 5 %, worst 3.4 %, since the span's
        // pitch is PitchCentre's mode of the confident frames). On the 60-sentence set of scripts/make-pitch-set.sh:
        // octave errors 1.57 % (1.60 % before the harmonic evidence; plain YIN 17.8 %), 59 of 60 clips within 5 %.
        // The floors leave room for another CPU's rounding (octave errors flip in runs of frames): under 2 %, the
        // issue's target, is 13 frames of 681, 7 over the 6 measured (4 % while 21 were measured); two clips of 12 may
        // miss their pitch (0 measured), one in twenty of a larger set (3 of 60 against 1).
        if (praat.On)
        {
            output.WriteLine(praat.Summary(files.Count));

            // The same bounds against an independent reference, Praat's track of the wideband copy (the committed clips:
            // 0.91 %, 6 of 661 frames; every clip's median within 5 % over the frames both voice). Our telephone track
            // voices fewer frames than Praat (the weakly periodic ones are where octave errors are, README "Against
            // Praat"), so medians are compared over the frames both voice.
            Assert.True(praat.OctaveErrorRate < 0.02, $"octave errors against Praat on {praat.OctaveErrorRate:P2} of voiced frames");
            Assert.True(praat.CommonMedianMisses <= Math.Max(2, files.Count / 20), $"{praat.CommonMedianMisses} of {files.Count} clips' median more than 5 % from Praat's");
        }

        Assert.True(errorRate < 0.02, $"octave errors on {errorRate:P2} of voiced frames");
        Assert.True(failures.Count <= Math.Max(2, files.Count / 20), $"{failures.Count} of {files.Count} clips' pitch moved more than 5 %: {string.Join("; ", failures)}");
    }

    /// <summary>Octave errors and span pitch against Praat's track of the wideband copy.</summary>
    private sealed class PraatScore(bool on)
    {
        private int _phoneBoth, _phoneErrors, _phoneUp, _referenceBoth, _referenceErrors, _referenceUp, _pitchMisses, _medianMisses, _commonMedianMisses, _confirmed, _praatVoiced, _phoneVoiced;

        public bool On { get; } = on;

        /// <summary>Adds a clip; returns a line when its median is more than 5 % from Praat's or over 10 % of its frames err.</summary>
        public string? Add(PraatPitchTrack praat, float[] phone, float[] reference, double pitchPhone)
        {
            var onFrames = praat.OnFrames(Math.Max(phone.Length, reference.Length), FrameTracks.HopSeconds);
            (var clipBoth, var clipErrors, var up) = Compare(onFrames, phone);
            _phoneBoth += clipBoth;
            _phoneErrors += clipErrors;
            _phoneUp += up;
            (var both, var errors, up) = Compare(onFrames, reference);
            _referenceBoth += both;
            _referenceErrors += errors;
            _referenceUp += up;

            // Errors both references agree on: the telephone frame is off, and our full-band track agrees with Praat.
            for (var i = 0; i < Math.Min(phone.Length, reference.Length); i++)
            {
                var hz = onFrames[i];
                _confirmed += phone[i] > 0 && hz > 0 && reference[i] > 0 && Off(phone[i], hz) && !Off(reference[i], hz) ? 1 : 0;
            }

            var voiced = praat.Voiced.Order().ToArray();
            var praatMedian = voiced.Length == 0 ? double.NaN : voiced[voiced.Length / 2];
            _pitchMisses += !(Math.Abs((pitchPhone / praatMedian) - 1) <= 0.05) ? 1 : 0;
            var phoneMedian = MedianOrZero([.. phone.Where(f => f > 0)]);
            var medianMiss = !(Math.Abs((phoneMedian / praatMedian) - 1) <= 0.05);
            _medianMisses += medianMiss ? 1 : 0;
            _praatVoiced += voiced.Length;
            _phoneVoiced += phone.Count(f => f > 0);

            // Over the frames both call voiced, to tell a different octave from a different choice of voiced frames.
            var common = Enumerable.Range(0, phone.Length).Select(i => (Phone: phone[i], Praat: (float)onFrames[i]))
                .Where(p => p.Phone > 0 && p.Praat > 0).ToArray();
            double commonPhone = MedianOrZero([.. common.Select(p => p.Phone)]), commonPraat = MedianOrZero([.. common.Select(p => p.Praat)]);
            var commonMiss = !(Math.Abs((commonPhone / commonPraat) - 1) <= 0.05);
            _commonMedianMisses += commonMiss ? 1 : 0;
            var manyErrors = clipErrors > 0.1 * clipBoth;
            return !medianMiss && !commonMiss && !manyErrors ? null
                : $"octave errors {clipErrors}/{clipBoth} (our full-band track against Praat: {errors}/{both}); median {phoneMedian:F0} Hz over {phone.Count(f => f > 0)} frames, Praat's {praatMedian:F0} Hz over {voiced.Length}; "
                    + $"over the {common.Length} frames both voice {commonPhone:F0} against {commonPraat:F0} Hz";
        }

        public string Summary(int clips) =>
            $"against Praat's wideband track: telephone octave errors {_phoneErrors}/{_phoneBoth} = {_phoneErrors / (double)Math.Max(1, _phoneBoth):P2} (up {_phoneUp}; "
            + $"our full-band reference agrees with Praat in {_confirmed}); "
            + $"our full-band reference's {_referenceErrors}/{_referenceBoth} = {_referenceErrors / (double)Math.Max(1, _referenceBoth):P2} (up {_referenceUp}); "
            + $"Praat voices {_praatVoiced} frames, the telephone track {_phoneVoiced}; "
            + $"more than 5 % from Praat's median: the telephone span pitch in {_pitchMisses} of {clips} clips, the telephone track's median in {_medianMisses}, "
            + $"over the frames both voice in {CommonMedianMisses}";

        /// <summary>Clips whose telephone median, over the frames both tracks voice, is more than 5 % from Praat's.</summary>
        public int CommonMedianMisses => _commonMedianMisses;

        /// <summary>Octave errors of the telephone track against Praat, over the frames both voice.</summary>
        public double OctaveErrorRate => _phoneErrors / (double)Math.Max(1, _phoneBoth);

        private static (int Both, int Errors, int Up) Compare(double[] praatOnFrames, float[] track)
        {
            int both = 0, errors = 0, up = 0;
            for (var i = 0; i < track.Length; i++)
            {
                var reference = praatOnFrames[i];
                if (track[i] > 0 && reference > 0)
                {
                    both++;
                    errors += Off(track[i], reference) ? 1 : 0;
                    up += Off(track[i], reference) && track[i] > reference ? 1 : 0;
                }
            }

            return (both, errors, up);
        }

    }

    private static readonly double? HarmonicCost = Setting("STEPAUDIO_PITCH_HARMONIC_COST");
    private static readonly double ReferenceHarmonicCost = Setting("STEPAUDIO_PITCH_REFERENCE_HARMONIC_COST") ?? 0;
    private static readonly bool ReferenceSubharmonicCheck = Setting("STEPAUDIO_PITCH_REFERENCE_SUBHARMONIC") != 0;

    private static double? Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static float[] Track(float[] pcm, bool telephoneBand)
    {
        using var tracks = FrameTracks.Compute(pcm, telephoneBand, harmonicEvidenceCost: HarmonicCost);
        return tracks.F0Hz.ToArray();
    }

    /// <summary>The reference: full band (the fundamental is there), with the same octave checks.</summary>
    private static float[] Reference(float[] pcm)
    {
        using var tracks = FrameTracks.Compute(
            pcm, telephoneBandPitch: false, recoverFundamental: true, subharmonicCheck: ReferenceSubharmonicCheck,
            harmonicEvidenceCost: ReferenceHarmonicCost);
        return tracks.F0Hz.ToArray();
    }

    /// <summary>An octave error: more than <see cref="OctaveErrorSemitones"/> from the reference.</summary>
    private static bool Off(double hz, double reference) => Math.Abs(12 * Math.Log2(hz / reference)) > OctaveErrorSemitones;

    private static double MedianOrZero(float[] values) => values.Length == 0 ? 0 : values.Order().ElementAt(values.Length / 2);

    private static double Pitch(float[] pcm)
    {
        var hz = new AcousticFeatureExtractor(telephoneBandPitch: true, melCepstrum: false, HarmonicCost).Extract(pcm).PitchMeanHz;
        Assert.True(hz > 0, "no voiced frame");
        return hz;
    }
}
