using StepAudio.Telephony.Cli.Audio;
using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Measures every clip of a labelled folder as the analyzer does at run time: the acoustic features of the clip as a
/// call would hand it over (capped like <see cref="ParalinguisticsOptions.MaxAnalysisSeconds"/>; a vocal-event
/// clip on its sound alone, speech as the VAD finds it: <see cref="CallCut"/>), and for emotion the caller's running
/// baseline: a speaker's clips are taken in file-name order (which interleaves the labels), each judged against the
/// baseline of the clips before it, then added to it, exactly as a call's turns are.
/// </summary>
public static class FeatureTable
{
    /// <summary>Reads and measures <paramref name="clips"/> of data set <paramref name="set"/>; unreadable files are listed, not fatal.</summary>
    /// <param name="speech">
    /// Emotion clips: speech, each judged against its caller's running baseline. Otherwise vocal-event clips: non-speech
    /// spans, measured on their sound alone.
    /// </param>
    /// <param name="cut">How a call would cut each clip (<see cref="CallCut"/>).</param>
    /// <param name="turnOrders">
    /// Speech of a known speaker: also this many rows per clip measured in <see cref="TurnOrders"/>' other orders
    /// (<see cref="FeatureRow.TurnOrder"/> 1…n), after the file-name-order rows. The audio is measured once.
    /// </param>
    /// <param name="unheardCopies">Speech: also one row per clip judged as if its caller were not heard yet (<see cref="TurnOrders.Unheard"/>).</param>
    public static IReadOnlyList<FeatureRow> Measure(IReadOnlyList<LabelledClip> clips, int set, bool speech, ICollection<string> unreadable, CallCut cut, int turnOrders = 0, bool unheardCopies = false)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(unreadable);
        ArgumentNullException.ThrowIfNull(cut);
        ArgumentOutOfRangeException.ThrowIfNegative(turnOrders);
        var extractor = new AcousticFeatureExtractor(melCepstrum: true); // training may use every measure
        var rows = new List<FeatureRow>();
        var others = new List<FeatureRow>();
        foreach (var (speaker, callerClips) in LabelledFolder.ByCaller(clips))
        {
            var heard = new List<(LabelledClip Clip, AcousticFeatures Features)>();
            foreach (var clip in callerClips)
            {
                if (LabelledFolder.TryReadAudio(clip, unreadable, out var audio))
                {
                    var span = cut.Hear(audio, speech);
                    heard.Add((clip, extractor.Extract(span[..Math.Min(span.Length, 30 * 16_000)])));
                }
            }

            var known = speech && speaker != LabelledFolder.UnknownSpeaker;
            string[] labels = [.. heard.Select(h => h.Clip.Label)];
            var fileOrder = TurnOrders.Order(labels, speaker, 0);
            rows.AddRange(Judge(heard, fileOrder, known, set, 0));
            for (var k = 1; known && k <= turnOrders; k++)
            {
                others.AddRange(Judge(heard, TurnOrders.Order(labels, speaker, k), TurnOrders.KindOf(k) != TurnOrderKind.NoBaseline, set, k));
            }

            if (speech && unheardCopies)
            {
                others.AddRange(Judge(heard, fileOrder, false, set, TurnOrders.Unheard));
            }
        }

        rows.AddRange(others);
        return rows;
    }

    /// <summary>Rows of one speaker's clips taken in <paramref name="order"/>, each against the baseline of those before it (or none).</summary>
    private static FeatureRow[] Judge(List<(LabelledClip Clip, AcousticFeatures Features)> heard, int[] order, bool withBaseline, int set, int turnOrder)
    {
        var baseline = withBaseline ? new SpeakerBaseline() : null;
        var rows = new FeatureRow[heard.Count];
        foreach (var i in order)
        {
            var (clip, features) = heard[i];
            var values = new double[ModelFeatures.Names.Count];
            ModelFeatures.Compute(features, SpeakerBaseline.NormsFor(baseline), values);
            var heardBefore = baseline?.Spans ?? 0;
            if (baseline is not null && features.VoicedFraction > 0)
            {
                baseline.Observe(features);
            }

            rows[i] = new FeatureRow(values, clip.Label, clip.Speaker, set, turnOrder, heardBefore);
        }

        return rows; // in file-name order whatever order they were judged in
    }
}
