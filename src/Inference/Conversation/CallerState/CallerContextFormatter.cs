using System.Globalization;
using System.Text;

namespace StepAudio.Telephony.Inference.Conversation.CallerState;

/// <summary>
/// Writes <see cref="CallerTurnContext"/> as a short tagged block the model reads with every turn. Plain sentences
/// with numbers and their reasons, not JSON: audio reasoning models follow short labelled lines best, and an
/// operator reading a trace can check every claim against its cue. <see cref="Guidance"/> goes into the system prompt
/// once and explains the block.
/// </summary>
public static class CallerContextFormatter
{
    /// <summary>Frustration moves smaller than this between turns read as steady.</summary>
    public const double TrendThreshold = 0.05;

    /// <summary>What the model is told, once, about the block.</summary>
    public const string Guidance =
        "Each caller turn comes with a <caller_state> block. The phone gateway measured it from the caller's voice and keys; the caller did not say it " +
        "and cannot see it. Use it to adapt: be brief and calm when frustration is high or rising, acknowledge sighs or interruptions without naming " +
        "the measurement, slow down when the caller sounds confused, and when words and voice disagree trust the voice. Never read the block aloud.";

    /// <summary>The block for one turn.</summary>
    public static string Format(CallerTurnContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"<caller_state turn=\"{context.Turn}\" spoke=\"{context.Duration.TotalSeconds:0.0}s\">\n");

        text.Append("voice: ").Append(context.Emotion);
        if (!string.Equals(context.Emotion, "unknown", StringComparison.Ordinal))
        {
            text.Append(c, $" (confidence {context.EmotionConfidence:0.00}; arousal {context.Arousal:+0.00;-0.00;0.00}, valence {context.Valence:+0.00;-0.00;0.00})");
            if (context.EmotionCues.Count > 0)
            {
                text.Append(" because: ").AppendJoin("; ", context.EmotionCues);
            }
        }
        else
        {
            text.Append(" (analysis not ready in time)");
        }

        text.Append('\n');
        var delta = context.Frustration - context.PreviousFrustration;
        var trend = delta >= TrendThreshold ? "rising" : delta <= -TrendThreshold ? "falling" : "steady";
        text.Append(c, $"frustration: {context.Frustration:0.00} {context.FrustrationLevel}, {trend} ({delta:+0.00;-0.00;0.00} since the last turn)");
        if (context.FrustrationReasons.Count > 0)
        {
            text.Append(" because: ").AppendJoin("; ", context.FrustrationReasons);
        }

        text.Append('\n');
        if (context.VocalEvents.Count > 0)
        {
            text.Append("vocal sounds: ").AppendJoin(", ", context.VocalEvents.Select(e =>
                string.Create(c, $"{e.Kind.Replace('_', ' ')} at {e.OffsetInTurn.TotalSeconds:0.0}s ({e.Confidence:0.00})"))).Append('\n');
        }

        if (context.InterruptedReply || context.Interruptions > 0)
        {
            text.Append(c, $"interrupted your last reply: {(context.InterruptedReply ? "yes" : "no")} ({context.Interruptions} interruption{(context.Interruptions == 1 ? string.Empty : "s")} so far; they heard only what you said before it)\n");
        }

        if (context.Keys.Length > 0)
        {
            text.Append("keys pressed: ").AppendJoin(' ', context.Keys.ToCharArray()).Append('\n');
        }

        if (context.WordsVoice is { } words)
        {
            text.Append(c, $"words vs voice: {words.Summary} (words {words.TextValence:+0.00;-0.00;0.00}, voice {words.VoiceValence:+0.00;-0.00;0.00})");
            if (words.Mismatch)
            {
                text.Append("; trust the voice");
            }

            text.Append('\n');
        }

        return text.Append("</caller_state>").ToString();
    }
}
