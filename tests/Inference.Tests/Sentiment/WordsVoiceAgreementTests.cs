using StepAudio.Telephony.Inference.Sentiment;

namespace StepAudio.Telephony.Inference.Tests.Sentiment;

public sealed class WordsVoiceAgreementTests
{
    [Fact]
    public void Happy_words_in_a_sad_voice_are_ambiguous_with_negative_valence()
    {
        var agreement = WordsVoiceAgreement.Compare(TextValenceLexicon.Score("great, that's wonderful"), -0.4)!;
        Assert.True(agreement.Mismatch);
        Assert.Equal("ambiguous with negative valence", agreement.Summary);
    }

    [Fact]
    public void Complaints_said_cheerfully_are_ambiguous_with_positive_valence()
    {
        var agreement = WordsVoiceAgreement.Compare(-0.6, 0.5)!;
        Assert.True(agreement.Mismatch);
        Assert.Equal("ambiguous with positive valence", agreement.Summary);
    }

    [Theory]
    [InlineData(0.6, 0.4)]
    [InlineData(-0.6, -0.3)]
    [InlineData(0.6, -0.1)]
    [InlineData(0.1, -0.8)]
    public void Same_direction_or_a_weak_side_is_consistent(double text, double voice)
    {
        var agreement = WordsVoiceAgreement.Compare(text, voice)!;
        Assert.False(agreement.Mismatch);
        Assert.Equal("consistent", agreement.Summary);
    }

    [Fact]
    public void Words_without_opinion_are_not_compared()
    {
        Assert.Null(WordsVoiceAgreement.Compare(null, -0.9));
    }
}
