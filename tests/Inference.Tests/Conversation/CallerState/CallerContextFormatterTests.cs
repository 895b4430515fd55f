using StepAudio.Telephony.Inference.Conversation.CallerState;
using StepAudio.Telephony.Inference.Sentiment;

namespace StepAudio.Telephony.Inference.Tests.Conversation.CallerState;

public sealed class CallerContextFormatterTests
{
    private static CallerTurnContext Context() => new(
        Turn: 3,
        Duration: TimeSpan.FromSeconds(2.4),
        Emotion: "angry",
        EmotionConfidence: 0.62,
        Arousal: 0.7,
        Valence: -0.5,
        EmotionCues: ["pitch 2.1 SD above their baseline", "loudness +6 dB"],
        Frustration: 0.71,
        PreviousFrustration: 0.5,
        FrustrationLevel: "high",
        FrustrationReasons: ["negative-emotion Angry 0.80 +0.30", "barge-in +0.15"],
        VocalEvents: [new CallerVocalEvent("sigh", TimeSpan.FromSeconds(0.4), 0.8)],
        InterruptedReply: true,
        Interruptions: 2,
        Keys: "00",
        WordsVoice: WordsVoiceAgreement.Compare(0.6, -0.5));

    [Fact]
    public void Every_signal_appears_with_its_reasons()
    {
        var block = CallerContextFormatter.Format(Context());

        Assert.Equal(
            """
            <caller_state turn="3" spoke="2.4s">
            voice: angry (confidence 0.62; arousal +0.70, valence -0.50) because: pitch 2.1 SD above their baseline; loudness +6 dB
            frustration: 0.71 high, rising (+0.21 since the last turn) because: negative-emotion Angry 0.80 +0.30; barge-in +0.15
            vocal sounds: sigh at 0.4s (0.80)
            interrupted your last reply: yes (2 interruptions so far; they heard only what you said before it)
            keys pressed: 0 0
            words vs voice: ambiguous with negative valence (words +0.60, voice -0.50); trust the voice
            </caller_state>
            """.ReplaceLineEndings("\n"),
            block);
    }

    [Fact]
    public void A_quiet_turn_says_only_what_was_measured()
    {
        var block = CallerContextFormatter.Format(Context() with
        {
            Emotion = "unknown",
            Frustration = 0.48,
            FrustrationReasons = [],
            VocalEvents = [],
            InterruptedReply = false,
            Interruptions = 0,
            Keys = string.Empty,
            WordsVoice = null,
        });

        Assert.Contains("voice: unknown (analysis not ready in time)", block, StringComparison.Ordinal);
        Assert.Contains("frustration: 0.48 high, steady (-0.02 since the last turn)", block, StringComparison.Ordinal);
        Assert.DoesNotContain("vocal sounds", block, StringComparison.Ordinal);
        Assert.DoesNotContain("interrupted", block, StringComparison.Ordinal);
        Assert.DoesNotContain("keys", block, StringComparison.Ordinal);
        Assert.DoesNotContain("words vs voice", block, StringComparison.Ordinal);
    }
}
