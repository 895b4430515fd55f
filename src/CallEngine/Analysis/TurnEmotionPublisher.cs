using StepAudio.Telephony.Analytics.Contracts;
using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.CallEngine.Recognition;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Recognition;

namespace StepAudio.Telephony.CallEngine.Analysis;

/// <summary>
/// Publishes a caller turn's emotion with whether its words agree with its voice. The words may still be being
/// recognised when the voice's analysis comes back: then the event waits for them (the recogniser's own time-out
/// bounds the wait) and counts as an analysis in flight, so the call's end waits for it too.
/// </summary>
/// <remarks>Called under the call's lock (<paramref name="gate"/>), which the deferred publication takes again.</remarks>
internal sealed class TurnEmotionPublisher(
    CallEventFactory events, Action<ICallEvent> publish, object gate, AnalysesInFlight inFlight, TurnWords? words, Action? analysed)
{
    private const int TopScores = 3;

    /// <summary>Publishes the emotion of <paramref name="job"/>'s turn now, or once its words are known.</summary>
    public void Publish(AnalysisJob job, SegmentAnalysis analysis)
    {
        var emotion = analysis.Emotion;
        var top = emotion.Scores.OrderByDescending(s => s.Score).Take(TopScores)
            .Select(s => new LabelScore(s.Label.ToString(), Finite(s.Score))).ToList();
        var heard = words?.Of(job.Turn);
        if (heard is { IsCompleted: false })
        {
            PublishWhenHeard(job, analysis, top, heard);
        }
        else
        {
            var wordsVoice = TurnWords.Agreement(heard is { IsCompletedSuccessfully: true } ? heard.Result : null, emotion.Valence);
            publish(events.Emotion(job.Start, job.Start + analysis.Duration, emotion, top, job.Turn, wordsVoice));
        }
    }

    private void PublishWhenHeard(AnalysisJob job, SegmentAnalysis analysis, List<LabelScore> top, Task<RecognitionResult?> heard)
    {
        inFlight.Leaving();
        heard.ContinueWith(
            done =>
            {
                lock (gate)
                {
                    if (!inFlight.Closed)
                    {
                        var wordsVoice = TurnWords.Agreement(done.IsCompletedSuccessfully ? done.Result : null, analysis.Emotion.Valence);
                        publish(events.Emotion(job.Start, job.Start + analysis.Duration, analysis.Emotion, top, job.Turn, wordsVoice));
                    }

                    inFlight.Returned();
                }

                analysed?.Invoke();
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;
}
