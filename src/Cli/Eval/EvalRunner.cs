using StepAudio.Telephony.Cli.Audio;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.Cli.Eval;

/// <summary>
/// Runs an <see cref="ISegmentAnalyzer"/> over a labelled folder: <c>&lt;folder&gt;/&lt;label&gt;/**/*.wav</c>, where
/// each label folder is an emotion (<see cref="EvalLabels.Emotions"/>) or a vocal event
/// (<see cref="EvalLabels.VocalEvents"/>). Emotion files are analysed as speech and scored on
/// <see cref="SegmentAnalysis.Emotion"/>; vocal-event files are analysed as non-speech (the VAD usually rejects
/// them) and scored on the most confident event, or <c>none</c>.
/// </summary>
public sealed class EvalRunner(ISegmentAnalyzer analyzer)
{
    /// <summary>Evaluates <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A sub-folder is not a known label (the message lists them).</exception>
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
        foreach (var labelFolder in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(labelFolder).ToLowerInvariant();
            var isEmotion = EvalLabels.Emotions.Contains(label);
            if (!isEmotion && !EvalLabels.VocalEvents.Contains(label))
            {
                throw new InvalidDataException(
                    $"'{labelFolder}' is not a label folder. Expected <folder>/<label>/*.wav with label one of: " +
                    $"{string.Join(", ", EvalLabels.Emotions.Concat(EvalLabels.VocalEvents))}.");
            }

            foreach (var file in Directory.GetFiles(labelFolder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                float[] audio;
                try
                {
                    audio = WavReader.ReadMono16k(file);
                }
                catch (InvalidDataException e)
                {
                    unreadable.Add(e.Message);
                    continue;
                }

                var analysis = analyzer.Analyze(audio, TimeSpan.Zero, isSpeech: isEmotion);
                if (isEmotion)
                {
                    emotion.Add(label, EvalLabels.Name(analysis.Emotion.Label));
                }
                else
                {
                    events.Add(label, EvalLabels.VocalEventPrediction(analysis));
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

        return new EvalReport(folder, tasks, unreadable);
    }
}
