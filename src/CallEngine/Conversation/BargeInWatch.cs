using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Conversation;

/// <summary>
/// Decides whether the caller interrupted a reply. Speech that starts over it counts once the caller has kept talking
/// for <c>minSpeech</c>; speech that stops sooner (a cough, "mm-hm") is forgiven and the reply goes on.
/// </summary>
internal sealed class BargeInWatch : IDisposable
{
    private readonly EngineCall _call;
    private readonly TimeSpan _minSpeech;
    private readonly TaskCompletionSource _decidedTask = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private ITimer? _wake;
    private TimeSpan? _candidate;
    private int _decided;
    private long _decidedAtUnixMs;

    public BargeInWatch(EngineCall call, TimeSpan minSpeech)
    {
        _call = call;
        _minSpeech = minSpeech;
        _call.Input.Posted += OnInput;
    }

    /// <summary>Completes when the reply is interrupted (also without anyone waiting on the call clock).</summary>
    public Task Interrupted => _decidedTask.Task;

    /// <summary>Whether the reply was interrupted.</summary>
    public bool Decided => Volatile.Read(ref _decided) != 0;

    /// <summary>
    /// When the interruption was decided, in Unix milliseconds of the call's clock (the wall clock on a live call):
    /// what scripts/interruption-leak.sh compares with the arrival times of the reply's RTP packets at the caller.
    /// </summary>
    public long DecidedAtUnixMs => Interlocked.Read(ref _decidedAtUnixMs);

    /// <summary>Marks the reply interrupted.</summary>
    public void Decide()
    {
        if (Interlocked.Exchange(ref _decided, 1) == 0)
        {
            Interlocked.Exchange(ref _decidedAtUnixMs, _call.Time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        _decidedTask.TrySetResult();
    }

    /// <summary>Re-evaluates on the call clock; true once interrupted.</summary>
    public bool Check()
    {
        if (Decided)
        {
            return true;
        }

        lock (_gate)
        {
            if (_candidate is not { } since)
            {
                return false;
            }

            var now = _call.Signals.Now;
            if (now - since >= _minSpeech)
            {
                if (_call.Signals.CallerSpeaking)
                {
                    Decide();
                    return true;
                }

                // The sound ended before it became speech worth stopping for.
                _candidate = null;
            }
        }

        return false;
    }

    public void Dispose()
    {
        _call.Input.Posted -= OnInput;
        lock (_gate)
        {
            _wake?.Dispose();
            _wake = null;
        }
    }

    private void OnInput(CallerInput input)
    {
        if (input.Kind != CallerInputKind.SpeechStarted)
        {
            return;
        }

        lock (_gate)
        {
            _candidate ??= input.At;
            _wake?.Dispose();

            // The real clock only re-checks when woken: judge and wake it when the speech has lasted long enough. A
            // simulation judges on its own clock instead, frame by frame, through Check in the playout's wait.
            _wake = _call.Time.CreateTimer(
                static state =>
                {
                    var watch = (BargeInWatch)state!;
                    watch.Check();
                    watch._call.Clock.Wake();
                },
                this,
                _minSpeech + TimeSpan.FromMilliseconds(20),
                Timeout.InfiniteTimeSpan);
        }

        _call.Clock.Wake();
    }
}
