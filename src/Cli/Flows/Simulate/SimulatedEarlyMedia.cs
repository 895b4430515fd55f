using System.Globalization;
using StepAudio.Telephony.CallEngine.Flows;
using StepAudio.Telephony.CallFlow.Flows.Definition;
using StepAudio.Telephony.CallFlow.Flows.Runtime;

namespace StepAudio.Telephony.Cli.Flows.Simulate;

/// <summary>
/// Early media in a simulated call: the announcement is heard before the answer, so it is shown at negative call time
/// (call time starts at the answer, with <c>CallStarted</c>); no caller audio is fed meanwhile, as none reaches a flow
/// before the call is answered.
/// </summary>
internal sealed class SimulatedEarlyMedia(IFlowObserver timeline, EarlyMediaAnnouncement announcement) : IEarlyMediaChannel
{
    public bool IsAvailable => true;

    public bool Open(TimeSpan length)
    {
        var what = announcement.File is { } file ? $"play {file}" : $"\"{announcement.Text}\"";
        timeline.OnTrace(new FlowTrace(-length, "early", string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"183 Session Progress, {what} ({length.TotalSeconds:0.00} s), then the answer")));
        return true;
    }

    public Task<bool> WhenAnsweredAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public Task PlayAsync(ReadOnlyMemory<short> pcm8k, CancellationToken cancellationToken) => Task.CompletedTask;
}
