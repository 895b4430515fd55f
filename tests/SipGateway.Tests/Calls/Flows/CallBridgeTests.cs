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
    public void Wideband_caller_audio_reaches_the_narrowband_agent_at_half_the_rate_without_aliasing()
    {
        var bridge = new CallBridge(_caller, "caller-dialog");
        bridge.Connect("agent-dialog", _agent);

        // 1 kHz belongs in the telephone band; 6 kHz does not, and decimating it without a low-pass folds it to 2 kHz.
        for (int frame = 0; frame < 25; frame++)
        {
            var wide = new short[320];
            for (int i = 0; i < wide.Length; i++)
            {
                double t = ((frame * 320) + i) / 16000.0;
                wide[i] = (short)((6000 * Math.Sin(2 * Math.PI * 1000 * t)) + (6000 * Math.Sin(2 * Math.PI * 6000 * t)));
            }

            bridge.OnCallerAudio(wide, 16000);
        }

        Assert.Equal(25, _agent.Frames.Count);
        Assert.All(_agent.Frames, f => Assert.Equal(160, f.Length));
        var narrow = _agent.Frames.Skip(5).SelectMany(f => f).Select(s => (double)s).ToArray();
        double inBand = Amplitude(narrow, 1000);
        double folded = Amplitude(narrow, 2000);
        Assert.InRange(inBand, 5000, 7000);
        Assert.True(folded < inBand / 100, $"6 kHz folded to 2 kHz at {folded:F0} against {inBand:F0} at 1 kHz");
    }

    private static double Amplitude(double[] x, double hz)
    {
        double re = 0, im = 0;
        for (int n = 0; n < x.Length; n++)
        {
            re += x[n] * Math.Cos(2 * Math.PI * hz * n / 8000);
            im += x[n] * Math.Sin(2 * Math.PI * hz * n / 8000);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / x.Length;
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
