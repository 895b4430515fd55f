using StepAudio.Telephony.CallFlow.Flows.Definition;

namespace StepAudio.Telephony.CallFlow.Flows.Runtime;

/// <summary>
/// What a flow can do to a call. The gateway implements it over SIP/RTP; the simulator over a WAV file and a DTMF
/// script on a virtual clock. Every wait goes through the channel, so the channel owns time. Operations throw
/// <see cref="OperationCanceledException"/> when <c>cancellationToken</c> fires (caller hung up, a handler took over)
/// and <see cref="FlowActionException"/> when the action itself failed.
/// </summary>
public interface ICallChannel
{
    /// <summary>Who called whom.</summary>
    CallInfo Info { get; }

    /// <summary>The live analysis.</summary>
    ICallSignals Signals { get; }

    /// <summary>
    /// Speaks <paramref name="text"/>; returns when it was said, or when what <paramref name="interruptible"/> allows
    /// (the caller's speech, a key) stopped it.
    /// </summary>
    ValueTask<PromptResult> SayAsync(string text, string? voice, PromptInterruption interruptible, CancellationToken cancellationToken);

    /// <summary>Plays a WAV prompt (relative to the prompt directory), stopped as <paramref name="interruptible"/> allows.</summary>
    ValueTask<PromptResult> PlayAsync(string file, PromptInterruption interruptible, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the caller in silence for <paramref name="length"/> (a <c>pause</c> step). Input that arrives meanwhile
    /// does not end it and is queued as during a prompt.
    /// </summary>
    ValueTask PauseAsync(TimeSpan length, CancellationToken cancellationToken);

    /// <summary>
    /// The oldest caller input not yet taken, waiting up to <paramref name="timeout"/> for one; null when none came.
    /// Input that arrived during a prompt stays queued (type-ahead) until taken or <see cref="ClearInput"/>.
    /// </summary>
    ValueTask<CallerInput?> NextInputAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Forgets queued input (before a prompt that should not see earlier keys).</summary>
    void ClearInput();

    /// <summary>
    /// Transfers the caller; on success with <see cref="TransferMode.Refer"/> our leg has ended.
    /// <paramref name="requestedBy"/> says who decided it (a step, or the model of a <c>converse</c> step).
    /// </summary>
    ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, TransferRequester requestedBy, CancellationToken cancellationToken);

    /// <summary>Records the caller; throws <see cref="FlowActionException"/> when recording is not enabled.</summary>
    ValueTask<RecordingResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken);

    /// <summary>Ends the call from our side.</summary>
    ValueTask HangupAsync(string reason);
}
