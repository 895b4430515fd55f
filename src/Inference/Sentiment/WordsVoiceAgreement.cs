namespace StepAudio.Telephony.Inference.Sentiment;

/// <summary>What the words said against how they were said, for one turn.</summary>
/// <param name="TextValence">Valence of the words, −1..+1.</param>
/// <param name="VoiceValence">Acoustic valence of the same turn, −1..+1.</param>
/// <param name="Mismatch">Whether they point in opposite directions, each clearly enough.</param>
/// <param name="Summary">
/// <c>ambiguous with negative valence</c> (positive words, negative voice: the voice is trusted, as StepAudio reads
/// "happy words said in a sad voice"), <c>ambiguous with positive valence</c> (negative words said cheerfully: often
/// irony or politeness), or <c>consistent</c>.
/// </param>
public sealed record WordsVoiceAgreement(double TextValence, double VoiceValence, bool Mismatch, string Summary)
{
    /// <summary>Valence both must clear, in opposite directions, to count as a mismatch.</summary>
    public const double TextThreshold = 0.25;

    /// <summary>The acoustic side's threshold (acoustic valence estimates are less spread than the lexicon's).</summary>
    public const double VoiceThreshold = 0.2;

    /// <summary>Compares the two; null when the words carried no opinion.</summary>
    public static WordsVoiceAgreement? Compare(double? textValence, double voiceValence)
    {
        if (textValence is not { } text || !double.IsFinite(text) || !double.IsFinite(voiceValence))
        {
            return null;
        }

        var mismatch = Math.Abs(text) >= TextThreshold && Math.Abs(voiceValence) >= VoiceThreshold && Math.Sign(text) != Math.Sign(voiceValence);
        var summary = !mismatch ? "consistent"
            : voiceValence < 0 ? "ambiguous with negative valence"
            : "ambiguous with positive valence";
        return new WordsVoiceAgreement(text, voiceValence, mismatch, summary);
    }
}
