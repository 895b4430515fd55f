using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// Decides when a <c>record</c> step's recording ends: the finish key, the length limit, or the caller silent for the
/// step's silence time-out, judged on the call's clock.
/// </summary>
internal sealed class RecordingEndWatch(EngineCall call, RecordRequest request)
{
    /// <summary>Waits for the end; returns what ended it (<c>finish_key</c>, <c>max_length</c> or <c>silence</c>).</summary>
    public async ValueTask<string> WaitAsync(CancellationToken cancellationToken)
    {
        var signals = call.Signals;
        var started = signals.Now;
        string? endedBy = null;
        bool Ended()
        {
            while (call.Input.TryTake(out var input))
            {
                if (input is { Kind: CallerInputKind.Digit } key && key.Digit == request.FinishOnKey)
                {
                    endedBy = "finish_key";
                    return true;
                }
            }

            var now = signals.Now;
            if (now - started >= request.MaxLength)
            {
                endedBy = "max_length";
                return true;
            }

            var heard = signals.LastCallerActivity > started ? signals.LastCallerActivity : started;
            if (request.SilenceTimeout > TimeSpan.Zero && !signals.CallerSpeaking && now - heard >= request.SilenceTimeout)
            {
                endedBy = "silence";
                return true;
            }

            return false;
        }

        // Woken by keys and turns; the length and silence limits are checked at least every 100 ms of call time.
        while (!await call.Clock.WaitAsync(Ended, TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false))
        {
        }

        return endedBy!;
    }
}
