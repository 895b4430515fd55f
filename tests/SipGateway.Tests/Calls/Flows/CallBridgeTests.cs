using StepAudio.Telephony.SipGateway.Calls.Flows;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Tests.Calls.Flows;

public sealed class CallBridgeTests
{
    private readonly RecordingSender _caller = new();
    private readonly RecordingSender _agent = new();

    [Fact]
    public void Caller_audio_waits_for_the_agent_to_answer_then_flows_to_it()
    {
        var bridge = new CallBridge(_caller, "caller-dialog");
        bridge.OnCallerAudio([1, 2, 3], 8000);

        bridge.Connect("agent-dialog", _agent);
        bridge.OnCallerAudio([4, 5, 6], 8000);

        Assert.Equal([[4, 5, 6]], _agent.Frames);
        Assert.Equal(1, bridge.CallerFramesRelayed);
        Assert.Equal("agent-dialog", bridge.AgentDialogId);
    }

    [Fact]
    public void Wideband_caller_audio_reaches_the_narrowband_agent_at_half_the_rate()
    {
        var bridge = new CallBridge(_caller, "caller-dialog");
        bridge.Connect("agent-dialog", _agent);

        bridge.OnCallerAudio([100, 300, -200, -400, 10, 20], 16000);

        Assert.Equal([[200, -300, 15]], _agent.Frames);
    }

    [Fact]
    public void Agent_audio_goes_to_the_caller()
    {
        var bridge = new CallBridge(_caller, "caller-dialog");

        bridge.OnAudio([7, 8], 8000, 0, TimeSpan.Zero);

        Assert.Equal([[7, 8]], _caller.Frames);
        Assert.Equal(1, bridge.AgentFramesRelayed);
    }

    private sealed class RecordingSender : IRtpAudioSender
    {
        public List<short[]> Frames { get; } = [];

        public bool SendAudio(ReadOnlySpan<short> pcm8k, bool marker = false)
        {
            Frames.Add(pcm8k.ToArray());
            return true;
        }
    }
}
