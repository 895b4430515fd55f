using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Waits on the call's clock for the caller's next turn in a conversation: the end of their speech, or keys followed
/// by a pause of two seconds (the keys then go to the model together).
/// </summary>
internal sealed class CallerTurnWait(EngineCall call)
{
    private static readonly TimeSpan KeyPause = TimeSpan.FromSeconds(2);

    /// <summary>The turn's deciding input; null when <paramref name="remaining"/> ran out or the caller left.</summary>
    public async Task<CallerInput?> NextAsync(TimeSpan remaining, CancellationToken cancellationToken)
    {
        var input = call.Input;
        var deadline = call.Signals.Now + remaining;
        CallerInput? lastKey = null;
        while (true)
        {
            var wait = lastKey is { } key ? key.At + KeyPause - call.Signals.Now : deadline - call.Signals.Now;
            if (wait > TimeSpan.Zero)
            {
                await call.Clock.WaitAsync(() => input.HasInput || input.IsCompleted, wait, cancellationToken).ConfigureAwait(false);
            }

            if (input.TryTake(out var taken))
            {
                switch (taken.Kind)
                {
                    case CallerInputKind.SpeechEnded:
                        return taken;
                    case CallerInputKind.Digit:
                        lastKey = taken;
                        break;
                }

                continue;
            }

            if (lastKey is not null)
            {
                return lastKey;
            }

            if (input.IsCompleted || call.Signals.Now >= deadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }
    }
}
