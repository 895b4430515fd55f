using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.SipGateway.Calls.Flows;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Flows;

public sealed class CallerInputQueueTests
{
    private readonly CallerInputQueue _queue = new(TimeProvider.System);

    private static CallerInput Key(char digit, double at) => new(CallerInputKind.Digit, TimeSpan.FromSeconds(at), digit);

    [Fact]
    public async Task Inputs_are_taken_in_arrival_order_as_type_ahead()
    {
        _queue.Post(Key('1', 1));
        _queue.Post(new CallerInput(CallerInputKind.SpeechStarted, TimeSpan.FromSeconds(2)));
        _queue.Post(Key('#', 3));

        Assert.Equal(Key('1', 1), await _queue.NextAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(CallerInputKind.SpeechStarted, (await _queue.NextAsync(TimeSpan.Zero, CancellationToken.None))!.Value.Kind);
        Assert.Equal(Key('#', 3), await _queue.NextAsync(TimeSpan.Zero, CancellationToken.None));
        Assert.Null(await _queue.NextAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Waiting_returns_the_input_that_arrives_during_the_wait()
    {
        var waiting = _queue.NextAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        _queue.Post(Key('5', 4));

        Assert.Equal(Key('5', 4), await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task No_input_within_the_timeout_is_null_not_an_exception()
    {
        Assert.Null(await _queue.NextAsync(TimeSpan.FromMilliseconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_is_an_exception_so_the_flow_can_tell_it_from_silence()
    {
        using var cts = new CancellationTokenSource();
        var waiting = _queue.NextAsync(TimeSpan.FromSeconds(30), cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    [Fact]
    public async Task Clear_forgets_queued_input_and_complete_ends_waits()
    {
        _queue.Post(Key('1', 1));
        _queue.Clear();
        var waiting = _queue.NextAsync(TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();

        _queue.Complete();
        _queue.Post(Key('2', 2));

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await _queue.NextAsync(TimeSpan.Zero, CancellationToken.None));
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
