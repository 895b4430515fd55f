using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;
using StepAudio.Telephony.CallFlow.Flows.Runtime.Conversation;

namespace StepAudio.Telephony.CallFlow.Tests.Flows.Runtime.Conversation;

/// <summary>A <see cref="FakeCallChannel"/> that can also converse: the script decides how each conversation ends.</summary>
internal sealed class ConversingCallChannel(FakeCallChannel inner, Func<ConverseRequest, ConverseResult> script) : ICallChannel, IConversationChannel
{
    public List<ConverseRequest> Requests { get; } = [];

    public CallInfo Info => inner.Info;

    public ICallSignals Signals => inner.Signals;

    public ValueTask<ConverseResult> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return ValueTask.FromResult(script(request));
    }

    public ValueTask<PromptResult> SayAsync(string text, string? voice, PromptInterruption interruptible, CancellationToken cancellationToken) =>
        inner.SayAsync(text, voice, interruptible, cancellationToken);

    public ValueTask<PromptResult> PlayAsync(string file, PromptInterruption interruptible, CancellationToken cancellationToken) =>
        inner.PlayAsync(file, interruptible, cancellationToken);

    public ValueTask<CallerInput?> NextInputAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        inner.NextInputAsync(timeout, cancellationToken);

    public void ClearInput() => inner.ClearInput();

    public ValueTask PauseAsync(TimeSpan length, CancellationToken cancellationToken) => inner.PauseAsync(length, cancellationToken);

    public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, TransferRequester requestedBy, CancellationToken cancellationToken) =>
        inner.TransferAsync(target, mode, timeout, requestedBy, cancellationToken);

    public ValueTask<RecordingResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken) =>
        inner.RecordAsync(request, cancellationToken);

    public ValueTask HangupAsync(string reason) => inner.HangupAsync(reason);
}
