using StepAudio.Telephony.Cli.Audio;
using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Inference.Paralinguistics.Emotion;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>
/// Runs an <see cref="ISegmentAnalyzer"/> over a labelled folder: <c>&lt;folder&gt;/&lt;label&gt;/*.wav</c> or, with
/// one folder per speaker, <c>&lt;folder&gt;/&lt;label&gt;/&lt;speaker&gt;/**/*.wav</c> (see <see cref="LabelledFolder"/>), where
/// each label folder is an emotion (<see cref="EvalLabels.Emotions"/>) or a vocal event
/// (<see cref="EvalLabels.VocalEvents"/>). Emotion files are analysed as speech and scored on
/// <see cref="SegmentAnalysis.Emotion"/>; vocal-event files are analysed as non-speech (the VAD usually rejects
/// them) and scored on the most confident event, or <c>none</c>. A label folder that is neither (a sound no class
/// stands for, e.g. <c>sneeze</c>) is analysed the same way and reported apart (<see cref="UnscoredLabel"/>), so an
/// evaluation set labelled by sound is read whole rather than refused. Each clip is first cut as a call would hand it
/// over (<see cref="CallCut"/>: speech where the VAD finds it, a sound where the span finder does).
/// </summary>
public sealed class EvalRunner(ISegmentAnalyzer analyzer, CallCut cut)
{
    /// <summary>Evaluates <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No sub-folder is a known label (the message lists them).</exception>
    public EvalReport Run(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Evaluation folder '{folder}' does not exist.");
        }

        var emotion = new ConfusionMatrix(EvalLabels.Emotions);
        var events = new ConfusionMatrix(EvalLabels.VocalEvents);
        var unreadable = new List<string>();
        var unscored = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        var clips = LabelledFolder.Read(folder, [.. EvalLabels.Emotions, .. EvalLabels.VocalEvents], keepUnknownLabels: true);

        // One caller at a time, as on a call: a speaker's clips in file-name order (which interleaves the labels),
        // each speech clip judged against that speaker's running baseline and then added to it.
        foreach (var (speaker, callerClips) in LabelledFolder.ByCaller(clips))
        {
            var baseline = speaker == LabelledFolder.UnknownSpeaker ? null : new SpeakerBaseline();
            foreach (var clip in callerClips)
            {
                if (!LabelledFolder.TryReadAudio(clip, unreadable, out var audio))
                {
                    continue;
                }

                var isEmotion = EvalLabels.Emotions.Contains(clip.Label);
                var analysis = analyzer.Analyze(cut.Hear(audio, isEmotion), TimeSpan.Zero, isSpeech: isEmotion, isEmotion ? baseline : null);
                if (isEmotion)
                {
                    emotion.Add(clip.Label, EvalLabels.Name(analysis.Emotion.Label));
                }
                else if (EvalLabels.VocalEvents.Contains(clip.Label))
                {
                    events.Add(clip.Label, EvalLabels.VocalEventPrediction(analysis));
                }
                else
                {
                    var predicted = unscored.TryGetValue(clip.Label, out var counts) ? counts : unscored[clip.Label] = new(StringComparer.Ordinal);
                    var name = EvalLabels.VocalEventPrediction(analysis);
                    predicted[name] = predicted.GetValueOrDefault(name) + 1;
                }
            }
        }

        var tasks = new List<EvalTask>();
        if (emotion.Total > 0)
        {
            tasks.Add(new EvalTask("emotion", emotion));
        }

        if (events.Total > 0)
        {
            tasks.Add(new EvalTask("vocal_event", events));
        }

        // Without a speaker folder a clip has no caller to compare it with: say so, since it changes what is measured.
        var unheard = clips.Count(c => c.Speaker == LabelledFolder.UnknownSpeaker && EvalLabels.Emotions.Contains(c.Label));
        IReadOnlyList<string> notes = unheard == 0 ? [] :
        [
            $"{unheard} of {clips.Count(c => EvalLabels.Emotions.Contains(c.Label))} emotion files have no speaker folder: each was judged as a caller not heard yet "
                + "(against the population's norms, by the emotion model's first-turn model when it has one), as a call's first turn is; "
                + "put each speaker's files in a folder of their own (<label>/<speaker>/*.wav) to judge them against that speaker's running baseline, as a call's later turns are.",
        ];
        return new EvalReport(folder, tasks, unreadable, [.. unscored.Select(p => new UnscoredLabel(p.Key, p.Value))], notes);
    }
}
