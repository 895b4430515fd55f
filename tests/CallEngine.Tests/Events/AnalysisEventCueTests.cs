using StepAudio.Telephony.CallEngine.Events;
using StepAudio.Telephony.Inference.Paralinguistics;

namespace StepAudio.Telephony.CallEngine.Tests.Events;

public sealed class AnalysisEventCueTests
{
    private readonly CallEventFactory _events = new("call-1", TimeProvider.System);

    [Fact]
    public void An_emotion_event_names_the_three_strongest_cues_either_way_and_never_a_non_finite_value()
    {
        var estimate = new EmotionEstimate(EmotionLabel.Angry, 0.6, 0.7, -0.5, [new EmotionScore(EmotionLabel.Angry, 0.8)], "trained")
        {
            Cues =
            [
                new CueContribution("hnr", 12, 0.1),
                new CueContribution("loudness-vs-caller", 6.5, 1.2),
                new CueContribution("pitch-spread", double.NaN, -0.9),
                new CueContribution("rate", 4, 0.5),
            ],
        };

        var emotion = _events.Emotion(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), estimate, turn: 1);

        Assert.NotNull(emotion.Cues);
        Assert.Equal(["loudness-vs-caller", "pitch-spread", "rate"], emotion.Cues.Select(c => c.Cue));
        Assert.Equal(-0.9, emotion.Cues[1].Contribution);
        Assert.All(emotion.Cues, c => Assert.True(double.IsFinite(c.Value)));
    }

    [Fact]
    public void Decisions_of_the_hand_rules_carry_no_cues()
    {
        var estimate = new EmotionEstimate(EmotionLabel.Neutral, 0.3, 0, 0, [new EmotionScore(EmotionLabel.Neutral, 0.5)], "acoustic");
        var vocal = new VocalEvent(VocalEventKind.Sigh, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.9), 0.7);

        Assert.Null(_events.Emotion(TimeSpan.Zero, TimeSpan.FromSeconds(1), estimate).Cues);
        Assert.Null(_events.VocalEvent(vocal, inSpeech: false).Cues);
    }

    [Fact]
    public void A_vocal_event_from_a_trained_model_carries_its_cues()
    {
        var vocal = new VocalEvent(VocalEventKind.Laugh, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.9), 0.7)
        {
            Cues = [new CueContribution("burst-rate", 5.5, 2.1)],
        };

        var published = _events.VocalEvent(vocal, inSpeech: true, turn: 2);

        Assert.Equal("burst-rate", Assert.Single(published.Cues!).Cue);
    }
}
