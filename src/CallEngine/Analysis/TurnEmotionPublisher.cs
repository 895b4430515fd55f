using StepAudio.Telephony.Analytics.Contracts;
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
    /// <summary>Publishes the emotion of <paramref name="job"/>'s turn now, or once its words are known.</summary>
    public void Publish(AnalysisJob job, SegmentAnalysis analysis)
    {
        var heard = words?.Of(job.Turn);
        if (heard is { IsCompleted: false })
        {
            PublishWhenHeard(job, analysis, heard);
        }
        else
        {
            PublishWith(job, analysis, heard is { IsCompletedSuccessfully: true } ? heard.Result : null);
        }
    }

    private void PublishWith(AnalysisJob job, SegmentAnalysis analysis, RecognitionResult? heard)
    {
        var wordsVoice = TurnWords.Agreement(heard, analysis.Emotion.Valence);
        publish(events.Emotion(job.Start, job.Start + analysis.Duration, analysis.Emotion, job.Turn, wordsVoice));
    }

    private void PublishWhenHeard(AnalysisJob job, SegmentAnalysis analysis, Task<RecognitionResult?> heard)
    {
        inFlight.Leaving();
        heard.ContinueWith(
            done =>
            {
                lock (gate)
                {
                    if (!inFlight.Closed)
                    {
                        PublishWith(job, analysis, done.IsCompletedSuccessfully ? done.Result : null);
                    }

                    inFlight.Returned();
                }

                analysed?.Invoke();
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }
}
