using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Flows;

/// <summary>
/// What carries a call to and from the caller, as the engine needs it: audio and keys out, signalling (hang-up,
/// transfer) and the caller's audio to a file. The gateway implements it over SIP and RTP; the simulator over a virtual clock. The
/// engine decides what to play and when a prompt stops; the transport only carries it out.
/// </summary>
public interface ICallTransport
{
    /// <summary>
    /// Plays 8 kHz mono audio after whatever is queued, with no gap between consecutive requests (one talkspurt).
    /// Completes true when it was played to the end, false when <paramref name="cancellationToken"/> stopped it
    /// (audio still queued for it is dropped). Never faults for cancellation.
    /// </summary>
    Task<bool> PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken);

    /// <summary>Stops everything playing or queued (a transfer takes the caller away from the prompts).</summary>
    void StopPlayout();

    /// <summary>
    /// Hands the caller to <paramref name="target"/>. <paramref name="succeeded"/> runs once the transfer is known to
    /// have worked and before the call's end is reported, so <c>CallTransferred</c> precedes <c>CallEnded</c>.
    /// </summary>
    ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken);

    /// <summary>Starts writing the caller's audio for a <c>record</c> step.</summary>
    /// <exception cref="FlowActionException">Recording is disabled, or its file cannot be created.</exception>
    ICallRecording StartRecording(string stepName);

    /// <summary>
    /// Sends keys to the far end, one after the other (a model's <c>send_dtmf</c>: an IVR or a conference PIN behind
    /// the call); nothing should be playing meanwhile. False when the call cannot carry keys or the far end refused
    /// them (a SIP INFO answered with an error); the keys left are then not sent.
    /// </summary>
    /// <param name="digits">0–9, *, #, A–D.</param>
    /// <param name="cancellationToken">Stops between keys (a key already started ends properly).</param>
    ValueTask<bool> SendDigitsAsync(string digits, CancellationToken cancellationToken);

    /// <summary>Ends the call from our side.</summary>
    ValueTask HangupAsync(string reason);
}
