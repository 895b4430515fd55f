using StepAudio.Telephony.CallEngine.Turns;
using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.CallEngine.Tests.Turns;

public sealed class TurnLedgerCueTests
{
    [Fact]
    public void A_turns_emotion_names_the_three_measures_that_drove_it_strongest_first()
    {
        var ledger = new TurnLedger(analysed: true);
        var turn = ledger.Close(new SpeechSegment(16_000, 48_000));
        ledger.OnQueued(turn);
        var emotion = new EmotionEstimate(EmotionLabel.Angry, 0.6, 0.7, -0.5, [new EmotionScore(EmotionLabel.Angry, 0.8)], "trained:emotion")
        {
            Cues = [new("hnr", 3, 0.2), new("loudness_re_caller_db", 6, 1.5), new("pitch_re_caller_st", 4, -0.9), new("rate", 5, 0.4)],
        };
        var features = new AcousticFeatures(2, 0.5, 150, 1, 3, 0, -30, 5, -24, 0, 10, 0.2, -6, 4, 0, 0, 3, 0);

        ledger.OnAnalysed(turn, isSpeech: true, new SegmentAnalysis(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), true, features, emotion, []));

        var cues = ledger.Snapshot(turn)!.Emotion!.TopCues!;
        Assert.Equal(["loudness_re_caller_db", "pitch_re_caller_st", "rate"], cues.Select(c => c.Key));
        Assert.Equal(-0.9, cues[1].Value);
    }
}
