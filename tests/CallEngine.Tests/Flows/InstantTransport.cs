using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.CallEngine.Tests.Flows;

/// <summary>A transport whose prompts end at once and which refuses transfers and recordings.</summary>
internal sealed class InstantTransport : ICallTransport
{
    public int Played { get; private set; }

    public Task<bool> PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken)
    {
        Played++;
        return Task.FromResult(true);
    }

    public void StopPlayout()
    {
    }

    public ValueTask<TransferOutcome> TransferAsync(string target, TransferMode mode, TimeSpan timeout, Action succeeded, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new TransferOutcome(false, 501, "not here"));

    public ICallRecording StartRecording(string stepName) => throw new FlowActionException("not here");

    public ValueTask<bool> SendDigitsAsync(string digits, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public ValueTask HangupAsync(string reason) => ValueTask.CompletedTask;
}
