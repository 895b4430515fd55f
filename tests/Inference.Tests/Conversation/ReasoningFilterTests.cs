using StepAudio.Telephony.Inference.Conversation;

namespace StepAudio.Telephony.Inference.Tests.Conversation;

public sealed class ReasoningFilterTests
{
    [Fact]
    public void Thinking_between_tags_is_never_returned()
    {
        var filter = new ReasoningFilter();
        var spoken = filter.Push("<think>The caller sounds upset, apologise.</think>I am sorry about that.") + filter.Flush();
        Assert.Equal("I am sorry about that.", spoken);
    }

    [Fact]
    public void Tags_split_across_chunks_at_every_position_are_recognised()
    {
        const string Stream = "<think>hidden plan</think>Hello there. <think>more</think>Bye.";
        for (var cut1 = 1; cut1 < Stream.Length - 1; cut1++)
        {
            for (var cut2 = cut1 + 1; cut2 < Stream.Length; cut2 += 3)
            {
                var filter = new ReasoningFilter();
                var spoken = filter.Push(Stream[..cut1]) + filter.Push(Stream[cut1..cut2]) + filter.Push(Stream[cut2..]) + filter.Flush();
                Assert.Equal("Hello there. Bye.", spoken);
            }
        }
    }

    [Fact]
    public void Output_that_opens_inside_the_thinking_is_dropped_up_to_the_closing_tag()
    {
        var filter = new ReasoningFilter(startsInReasoning: true);
        Assert.Equal(string.Empty, filter.Push("the user wants a refund</th"));
        Assert.True(filter.IsThinking);
        Assert.Equal("Sure.", filter.Push("ink>Sure.") + filter.Flush());
    }

    [Fact]
    public void A_less_than_sign_that_is_no_tag_is_spoken_once_the_stream_shows_it()
    {
        var filter = new ReasoningFilter();
        Assert.Equal("It costs ", filter.Push("It costs <"));
        Assert.Equal("< 5 euros", filter.Push(" 5 euros") + filter.Flush());
    }

    [Fact]
    public void An_unclosed_thought_at_the_end_is_not_spoken()
    {
        var filter = new ReasoningFilter();
        Assert.Equal("Hi. ", filter.Push("Hi. <think>never finished"));
        Assert.Equal(string.Empty, filter.Flush());
    }
}
