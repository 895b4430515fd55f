using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Waits on the call's clock for the caller's next turn in a conversation: the end of their speech, or keys followed
/// by a pause of two seconds (the keys then go to the model together).
/// </summary>
internal sealed class CallerTurnWait(EngineCall call)
{
    private static readonly TimeSpan KeyPause = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The turn's deciding input; null when <paramref name="deadline"/> (call time) passed or the caller left. With
    /// <paramref name="wake"/>, returns early (<c>Woken</c>, no input) as soon as it holds while no keys are pending.
    /// </summary>
    public async Task<(CallerInput? Decided, bool Woken)> NextAsync(TimeSpan deadline, Func<bool>? wake, CancellationToken cancellationToken)
    {
        var input = call.Input;
        CallerInput? lastKey = null;
        while (true)
        {
            var wait = lastKey is { } key ? key.At + KeyPause - call.Signals.Now : deadline - call.Signals.Now;
            var pendingKey = lastKey is not null;
            if (wait > TimeSpan.Zero)
            {
                await call.Clock.WaitAsync(() => input.HasInput || input.IsCompleted || (!pendingKey && wake?.Invoke() == true), wait, cancellationToken).ConfigureAwait(false);
            }

            if (input.TryTake(out var taken))
            {
                switch (taken.Kind)
                {
                    case CallerInputKind.SpeechEnded:
                        return (taken, false);
                    case CallerInputKind.Digit:
                        lastKey = taken;
                        break;
                }

                continue;
            }

            if (lastKey is not null)
            {
                return (lastKey, false);
            }

            if (wake?.Invoke() == true)
            {
                return (null, true);
            }

            if (input.IsCompleted || call.Signals.Now >= deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return (null, false);
            }
        }
    }
}
