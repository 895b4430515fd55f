using StepAudio.Telephony.Inference.Paralinguistics.Features;

namespace StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

/// <summary>
/// Finds sighs, laughs, gasps, throat clears, coughs and crying with explainable rules over frame measures
/// (duration, energy envelope, onset sharpness, voicing, HNR, flatness, low-band share, pitch).
/// </summary>
/// <remarks>
/// <para>The span is cut into sound regions (active frames, gaps under 40 ms bridged, at least 50 ms long), and
/// regions less than 350 ms apart form a train. A train of three or more regions is tested as a laugh or crying
/// first; otherwise every region is tested on its own, except that in a train that is mostly voiced (speech) only
/// regions with under 10 % voicing are. Each kind is a conjunction of soft thresholds (see
/// <see cref="Cue"/>); of the rules that hold, the most confident wins, and confidence is the mean cue score.</para>
/// <list type="bullet">
/// <item>Laugh: ≥3 bursts at 3–7 per second, mean burst ≤ 300 ms, regular spacing, voiced or breathy.</item>
/// <item>Crying: ≥ 0.8 s, mostly voiced, mean F0 ≥ 300 Hz, unstable F0 (std ≥ 1 semitone), sobs longer than laugh pulses.</item>
/// <item>Sigh: 0.4–2.5 s, little voicing, HNR ≤ 3 dB, noisy (flatness ≥ 0.2), decaying energy (≤ −8 dB/s), peak in the first half.</item>
/// <item>Gasp: 0.1–0.5 s, little voicing, aperiodic (HNR ≤ 0 dB), bright (under half the power below 1 kHz), energy peaking late.</item>
/// <item>Cough: 0.1–0.5 s per burst, rise to the peak within 30 ms, peak in the first third, decaying, noisy.</item>
/// <item>Throat clear: 0.15–0.6 s, dark (≥ 60 % of the power below 1 kHz), mostly unvoiced and rough (HNR ≤ 3 dB), low F0 when voiced.</item>
/// </list>
/// <para>The frame tracks are recomputed here: the contract hands over only the span's summary, and sub-span
/// localisation needs the frames. The cost is that of one more feature extraction.</para>
/// </remarks>
public sealed class AcousticVocalEventDetector : IVocalEventDetector
{
    private const int BridgeFrames = 4;
    private const int MinimumRegionFrames = 5;
    private const double TrainGapSeconds = 0.35;

    /// <inheritdoc />
    public IReadOnlyList<VocalEvent> Detect(ReadOnlySpan<float> pcm16k, TimeSpan start, AcousticFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (pcm16k.Length < FrameTracks.SampleRate / 10)
        {
            return [];
        }

        // Full-band pitch: the rules' voicing and pitch thresholds were set on it.
        using var tracks = FrameTracks.Compute(pcm16k, telephoneBandPitch: false);
        var regions = FindRegions(tracks);
        var events = new List<VocalEvent>();
        var r = 0;
        while (r < regions.Count)
        {
            var trainEnd = r + 1;
            while (trainEnd < regions.Count
                && (regions[trainEnd].First - regions[trainEnd - 1].End) * FrameTracks.HopSeconds < TrainGapSeconds)
            {
                trainEnd++;
            }

            var train = regions.GetRange(r, trainEnd - r);
            if (train.Count >= 3 && TryTrain(tracks, train, start, out var trainEvent))
            {
                events.Add(trainEvent);
            }
            else
            {
                // Inside a run of speech only a region with next to no voicing can be a sound of its own; voiced
                // syllables next to their neighbours are words, however short or dark.
                var speechLike = train.Count >= 2 && SoundRegion.Measure(tracks, train[0].First, train[^1].End).VoicedFraction >= 0.3;
                foreach (var region in train)
                {
                    if ((!speechLike || region.VoicedFraction < 0.1) && TrySingle(region, start, out var single))
                    {
                        events.Add(single);
                    }
                }
            }

            r = trainEnd;
        }

        return events;
    }

    private static List<SoundRegion> FindRegions(FrameTracks tracks)
    {
        var regions = new List<SoundRegion>();
        int first = -1, lastActive = -1;
        for (var i = 0; i <= tracks.Count; i++)
        {
            var active = i < tracks.Count && tracks.IsActive(i);
            if (active)
            {
                if (first < 0)
                {
                    first = i;
                }
                else if (i - lastActive - 1 > BridgeFrames)
                {
                    Close(first, lastActive + 1);
                    first = i;
                }

                lastActive = i;
            }
        }

        if (first >= 0)
        {
            Close(first, lastActive + 1);
        }

        return regions;

        void Close(int from, int end)
        {
            if (end - from >= MinimumRegionFrames)
            {
                regions.Add(SoundRegion.Measure(tracks, from, end));
            }
        }
    }

    private static bool TryTrain(FrameTracks tracks, List<SoundRegion> train, TimeSpan start, out VocalEvent vocalEvent)
    {
        var first = train[0].First;
        var end = train[^1].End;
        var whole = SoundRegion.Measure(tracks, first, end);
        double burstSeconds = 0;
        foreach (var region in train)
        {
            burstSeconds += region.DurationSeconds;
        }

        var meanBurst = burstSeconds / train.Count;
        var span = (train[^1].First - train[0].First) * FrameTracks.HopSeconds;
        var rate = span > 0 ? (train.Count - 1) / span : 0;

        // Coefficient of variation of the onset intervals: laughter is a regular pulse train, speech is not.
        double sum = 0, sumSquares = 0;
        for (var k = 1; k < train.Count; k++)
        {
            var interval = (train[k].First - train[k - 1].First) * FrameTracks.HopSeconds;
            sum += interval;
            sumSquares += interval * interval;
        }

        var intervals = train.Count - 1;
        var meanInterval = sum / intervals;
        var cv = meanInterval > 0 ? Math.Sqrt(Math.Max((sumSquares / intervals) - (meanInterval * meanInterval), 0)) / meanInterval : 1;
        var voicedOrBreathy = Math.Max(Cue.Above(whole.VoicedFraction, 0.3, 0.1), Cue.Above(whole.Flatness, 0.3, 0.1));

        var laugh = Cue.All([Cue.Within(rate, 3, 7, 0.5), Cue.Below(meanBurst, 0.3, 0.05), Cue.Below(cv, 0.35, 0.1), voicedOrBreathy]);
        var crying = CryingScore(whole, meanBurst);
        var (kind, confidence) = laugh >= crying ? (VocalEventKind.Laugh, laugh) : (VocalEventKind.Crying, crying);
        vocalEvent = Event(kind, start, first, end, confidence);
        return confidence > 0;
    }

    private static double CryingScore(SoundRegion region, double meanBurstSeconds) => Cue.All(
    [
        Cue.Above(region.DurationSeconds, 0.8, 0.2),
        Cue.Above(region.VoicedFraction, 0.4, 0.1),
        Cue.Above(region.PitchMeanHz, 300, 40),
        Cue.Above(region.PitchStdSemitones, 1, 0.5),
        Cue.Above(meanBurstSeconds, 0.3, 0.1),
    ]);

    private static bool TrySingle(SoundRegion region, TimeSpan start, out VocalEvent vocalEvent)
    {
        var d = region.DurationSeconds;
        var unvoiced = Cue.Below(region.VoicedFraction, 0.3, 0.1);
        var noisy = Cue.Above(region.Flatness, 0.2, 0.08);

        // A gasp is high-band noise, which is not flat over 300–3400 Hz; its noisiness shows as a lack of periodicity.
        var aperiodic = Cue.Below(region.HarmonicsToNoiseDb, 0, 2);
        Span<(VocalEventKind Kind, double Score)> scores =
        [
            (VocalEventKind.Sigh, Cue.All([Cue.Within(d, 0.4, 2.5, 0.1), unvoiced, Cue.Below(region.HarmonicsToNoiseDb, 3, 2), noisy,
                Cue.Below(region.EnergySlopeDbPerSecond, -8, 4), Cue.Below(region.PeakPosition, 0.5, 0.15)])),
            (VocalEventKind.Gasp, Cue.All([Cue.Within(d, 0.1, 0.5, 0.05), unvoiced, aperiodic, Cue.Below(region.LowShare, 0.5, 0.1),
                Cue.Above(region.PeakPosition, 0.5, 0.15)])),
            (VocalEventKind.Cough, Cue.All([Cue.Within(d, 0.1, 0.5, 0.05), Cue.Below(region.VoicedFraction, 0.5, 0.1), noisy,
                Cue.Below(region.RiseSeconds, 0.03, 0.01), Cue.Below(region.PeakPosition, 0.35, 0.1), Cue.Below(region.EnergySlopeDbPerSecond, 0, 10)])),
            (VocalEventKind.ThroatClear, Cue.All([Cue.Within(d, 0.15, 0.6, 0.05), Cue.Above(region.LowShare, 0.6, 0.1),
                Cue.Below(region.VoicedFraction, 0.4, 0.1), Cue.Below(region.HarmonicsToNoiseDb, 3, 2), region.PitchMeanHz > 0 ? Cue.Below(region.PitchMeanHz, 180, 30) : 1])),
            (VocalEventKind.Crying, CryingScore(region, d)),
        ];

        var best = 0;
        for (var k = 1; k < scores.Length; k++)
        {
            if (scores[k].Score > scores[best].Score)
            {
                best = k;
            }
        }

        vocalEvent = Event(scores[best].Kind, start, region.First, region.End, scores[best].Score);
        return scores[best].Score > 0;
    }

    private static VocalEvent Event(VocalEventKind kind, TimeSpan start, int first, int end, double confidence) => new(
        kind,
        start + TimeSpan.FromSeconds(first * FrameTracks.HopSeconds),
        TimeSpan.FromSeconds((end - first) * FrameTracks.HopSeconds),
        Math.Clamp(confidence, 0, 1));
}
