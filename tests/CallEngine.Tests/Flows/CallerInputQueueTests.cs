using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

public sealed class CallerInputQueueTests
{
    private readonly CallerInputQueue _queue = new();

    private static CallerInput Key(char digit, double at) => new(CallerInputKind.Digit, TimeSpan.FromSeconds(at), digit);

    [Fact]
    public void Inputs_are_taken_in_arrival_order_as_type_ahead()
    {
        _queue.Post(Key('1', 1));
        _queue.Post(new CallerInput(CallerInputKind.SpeechStarted, TimeSpan.FromSeconds(2)));
        _queue.Post(Key('#', 3));

        Assert.True(_queue.TryTake(out var first));
        Assert.True(_queue.TryTake(out var second));
        Assert.True(_queue.TryTake(out var third));
        Assert.False(_queue.TryTake(out _));
        Assert.Equal([Key('1', 1), new CallerInput(CallerInputKind.SpeechStarted, TimeSpan.FromSeconds(2)), Key('#', 3)], [first, second, third]);
    }

    [Fact]
    public void A_caller_leaning_on_a_key_loses_the_oldest_presses_not_memory()
    {
        for (var i = 0; i < 100; i++)
        {
            _queue.Post(Key('1', i));
        }

        var taken = new List<CallerInput>();
        while (_queue.TryTake(out var input))
        {
            taken.Add(input);
        }

        Assert.Equal(64, taken.Count);
        Assert.Equal(TimeSpan.FromSeconds(36), taken[0].At);
        Assert.Equal(TimeSpan.FromSeconds(99), taken[^1].At);
    }

    [Fact]
    public void Clear_forgets_queued_input_and_after_complete_nothing_is_queued()
    {
        _queue.Post(Key('1', 1));
        _queue.Clear();
        Assert.False(_queue.HasInput);

        _queue.Complete();
        _queue.Post(Key('2', 2));

        Assert.True(_queue.IsCompleted);
        Assert.False(_queue.TryTake(out _));
    }

    [Fact]
    public void Posted_is_raised_for_each_queued_input()
    {
        var seen = new List<CallerInput>();
        _queue.Posted += seen.Add;

        _queue.Post(Key('7', 1));

        Assert.Equal([Key('7', 1)], seen);
    }
}
