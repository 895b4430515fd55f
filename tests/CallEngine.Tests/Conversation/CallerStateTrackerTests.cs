using StepAudio.Telephony.Analytics.Contracts.V1;
using StepAudio.Telephony.CallEngine.Conversation;

namespace StepAudio.Telephony.CallEngine.Tests.Conversation;

public sealed class CallerStateTrackerTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_model_hears_which_measures_made_the_turn_sound_angry()
    {
        var tracker = new CallerStateTracker();
        var segment = new SpeechSegmentDetected(Guid.NewGuid(), "c", 1, At, 1.0, 2.5, 1.5, Turn: 1);
        tracker.Observe(segment);
        tracker.Observe(new EmotionDetected(Guid.NewGuid(), "c", 2, At, 1.0, 2.5, "Angry", 0.6, 0.7, -0.5, "trained",
            [new LabelScore("Angry", 0.8)], Turn: 1, Cues: [new AcousticCue("loudness-vs-caller", 6.5, 1.2), new AcousticCue("hnr", 3, -0.4)]));

        var context = tracker.Build(1, segment, keys: "", interruptedReply: false, interruptions: 0, words: null);

        Assert.Equal("angry", context.Emotion);
        Assert.Equal(["loudness-vs-caller 6.5 (+1.20 towards angry)", "hnr 3 (-0.40 towards angry)"], context.EmotionCues);
    }

    [Fact]
    public void Without_cues_from_the_analysis_the_model_gets_the_label_scores()
    {
        var tracker = new CallerStateTracker();
        var segment = new SpeechSegmentDetected(Guid.NewGuid(), "c", 1, At, 1.0, 2.5, 1.5, Turn: 1);
        tracker.Observe(segment);
        tracker.Observe(new EmotionDetected(Guid.NewGuid(), "c", 2, At, 1.0, 2.5, "Sad", 0.4, -0.3, -0.4, "acoustic",
            [new LabelScore("Sad", 0.55), new LabelScore("Neutral", 0.3)], Turn: 1));

        var context = tracker.Build(1, segment, keys: "", interruptedReply: false, interruptions: 0, words: null);

        Assert.Equal(["sad 0.55", "neutral 0.30"], context.EmotionCues);
    }
}
