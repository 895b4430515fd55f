using CsCheck;
using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.Inference.Tests.Conversation;

public sealed class SentenceSplitterTests
{
    private static List<string> Split(params string[] chunks)
    {
        var splitter = new SentenceSplitter();
        var sentences = new List<string>();
        foreach (var chunk in chunks)
        {
            sentences.AddRange(splitter.Push(chunk));
        }

        if (splitter.Flush() is { } last)
        {
            sentences.Add(last);
        }

        return sentences;
    }

    [Fact]
    public void The_first_sentence_is_released_as_soon_as_the_next_one_begins()
    {
        var splitter = new SentenceSplitter();
        Assert.Empty(splitter.Push("Thanks for calling"));
        Assert.Empty(splitter.Push(". "));
        Assert.Equal(["Thanks for calling."], splitter.Push("How"));
        Assert.Empty(splitter.Push(" can I help?"));
        Assert.Equal("How can I help?", splitter.Flush());
    }

    [Theory]
    [InlineData("Dr. Smith will call you back. Goodbye.", new[] { "Dr. Smith will call you back.", "Goodbye." })]
    [InlineData("Your balance is 3.50 euros. Anything else?", new[] { "Your balance is 3.50 euros.", "Anything else?" })]
    [InlineData("Order No. 7 shipped. It arrives Monday.", new[] { "Order No. 7 shipped.", "It arrives Monday." })]
    [InlineData("That's e.g. a refund. Or a credit.", new[] { "That's e.g. a refund.", "Or a credit." })]
    [InlineData("Ask J. Miller. She knows!", new[] { "Ask J. Miller.", "She knows!" })]
    [InlineData("Really? Yes! Fine.", new[] { "Really?", "Yes!", "Fine." })]
    [InlineData("We open at 9 a.m. tomorrow.", new[] { "We open at 9 a.m. tomorrow." })]
    [InlineData("Call 1.800.555.0100 now. Thanks.", new[] { "Call 1.800.555.0100 now.", "Thanks." })]
    [InlineData("He said \"stop.\" Then left.", new[] { "He said \"stop.\"", "Then left." })]
    public void Titles_decimals_numbers_and_initials_do_not_end_a_sentence(string reply, string[] expected)
    {
        Assert.Equal(expected, Split(reply));
    }

    [Fact]
    public void A_long_run_without_an_ending_is_cut_at_a_comma_so_speech_can_start()
    {
        var splitter = new SentenceSplitter(longRun: 40);
        var sentences = splitter.Push("First we check your account and the last payment, then we look at the invoice");
        Assert.Equal(["First we check your account and the last payment,"], sentences);
    }

    [Fact]
    public void How_the_stream_is_chunked_never_changes_the_sentences()
    {
        const string Reply = "Hello Mrs. Jones. Your 2.5 GB plan costs 10.99 a month! Shall I book it? I can, e.g. today.";
        var whole = Split(Reply);
        Gen.Int[1, Reply.Length - 1].Array[1, 6].Sample(cuts =>
        {
            var points = cuts.Distinct().Order().ToArray();
            var chunks = new List<string>();
            var at = 0;
            foreach (var point in points)
            {
                chunks.Add(Reply[at..point]);
                at = point;
            }

            chunks.Add(Reply[at..]);
            Assert.Equal(whole, Split([.. chunks]));
        });
        Assert.Equal(4, whole.Count);
    }
}
