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
    public static IReadOnlyList<FeatureRow> Measure(IReadOnlyList<LabelledClip> clips, int set, bool speech, ICollection<string> unreadable, CallCut cut)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(unreadable);
        ArgumentNullException.ThrowIfNull(cut);
        var extractor = new AcousticFeatureExtractor(melCepstrum: true); // training may use every measure
        var rows = new List<FeatureRow>();
        foreach (var (speaker, callerClips) in LabelledFolder.ByCaller(clips))
        {
            var baseline = speech && speaker != LabelledFolder.UnknownSpeaker ? new SpeakerBaseline() : null;
            foreach (var clip in callerClips)
            {
                if (!LabelledFolder.TryReadAudio(clip, unreadable, out var audio))
                {
                    continue;
                }

                var heard = cut.Hear(audio, speech);
                var features = extractor.Extract(heard[..Math.Min(heard.Length, 30 * 16_000)]);
                var values = new double[ModelFeatures.Names.Count];
                ModelFeatures.Compute(features, SpeakerBaseline.NormsFor(baseline), values);
                if (baseline is not null && features.VoicedFraction > 0)
                {
                    baseline.Observe(features);
                }

                rows.Add(new FeatureRow(values, clip.Label, clip.Speaker, set));
            }
        }

        return rows;
    }
}
