using StepAudio.Telephony.Inference.Sentiment;

namespace StepAudio.Telephony.Inference.Tests.Sentiment;

public sealed class TextValenceLexiconTests
{
    [Theory]
    [InlineData("That's great, thank you so much", 0.5, 1.0)]
    [InlineData("This is terrible, I am really angry", -1.0, -0.5)]
    [InlineData("It is not good", -0.6, -0.1)]
    [InlineData("No problem at all", -0.05, 1.0)]
    [InlineData("The app was fine but the bill is wrong", -1.0, -0.2)]
    [InlineData("I'm very happy", 0.55, 1.0)]
    public void Common_service_call_phrases_get_the_direction_a_person_would_give_them(string text, double low, double high)
    {
        Assert.InRange(TextValenceLexicon.Score(text)!.Value, low, high);
    }

    [Fact]
    public void An_intensifier_strengthens_and_a_negator_flips()
    {
        var happy = TextValenceLexicon.Score("I am happy")!.Value;
        Assert.True(TextValenceLexicon.Score("I am very happy") > happy);
        Assert.True(TextValenceLexicon.Score("I am not happy") < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("my account number is four five six")]
    public void Words_without_opinion_give_no_valence_rather_than_zero(string? text)
    {
        Assert.Null(TextValenceLexicon.Score(text));
    }
}
