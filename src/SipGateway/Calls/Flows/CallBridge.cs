using StepAudio.Telephony.Inference.Resampling;
using StepAudio.Telephony.SipGateway.Rtp;

namespace StepAudio.Telephony.SipGateway.Calls.Flows;

/// <summary>
/// Relays audio between a caller and an agent the gateway called for a <c>transfer</c> with <c>mode: bridge</c>. Each
/// leg keeps its own RTP session and codec, so audio is decoded on one side and encoded on the other; the caller's
/// audio still reaches the call's analysis first (emotion and frustration go on being published).
/// </summary>
internal sealed class CallBridge : IRtpAudioSink, ICallerAudioTap
{
    private readonly IRtpAudioSender _caller;
    private readonly short[] _narrow = new short[RtpSession.MaxSamplesPerPacket];
    private readonly float[] _wideFloat = new float[2 * RtpSession.MaxSamplesPerPacket];
    private readonly float[] _narrowFloat = new float[RtpSession.MaxSamplesPerPacket];
    private readonly Downsampler16kTo8k _downsampler = new();
    private IRtpAudioSender? _agent;

    public CallBridge(IRtpAudioSender caller, string callerDialogId)
    {
        _caller = caller;
        CallerDialogId = callerDialogId;
    }

    public string CallerDialogId { get; }

    /// <summary>The agent leg's dialog, once it answered.</summary>
    public string? AgentDialogId { get; private set; }

    /// <summary>The agent leg's RTP session, once it answered.</summary>
    public RtpSession? AgentRtp { get; private set; }

    /// <summary>Caller frames relayed to the agent so far.</summary>
    public long CallerFramesRelayed => Interlocked.Read(ref _callerFrames);

    private long _callerFrames;
    private long _agentFrames;

    /// <summary>The agent answered: from now on audio flows both ways.</summary>
    public void Connect(string agentDialogId, IRtpAudioSender agent)
    {
        AgentDialogId = agentDialogId;
        AgentRtp = agent as RtpSession;
        Volatile.Write(ref _agent, agent);
    }

    /// <summary>The agent's audio (G.711, 8 kHz) from the agent leg's receive loop, to the caller.</summary>
    public void OnAudio(ReadOnlySpan<short> pcm, int sampleRate, uint rtpTimestamp, TimeSpan arrivalTime)
    {
        if (sampleRate == 8000 && _caller.SendAudio(pcm))
        {
            Interlocked.Increment(ref _agentFrames);
        }
    }

    /// <summary>Agent frames relayed to the caller so far.</summary>
    public long AgentFramesRelayed => Interlocked.Read(ref _agentFrames);

    /// <summary>The caller's audio (8 kHz, or 16 kHz for G.722) from the caller's receive loop, to the agent.</summary>
    public void OnCallerAudio(ReadOnlySpan<short> pcm, int sampleRate)
    {
        var agent = Volatile.Read(ref _agent);
        if (agent is null)
        {
            return;
        }

        if (sampleRate == 16000)
        {
            // The agent leg speaks G.711: a wideband caller is brought to 8 kHz through the half-band filter (about
            // 1 µs per frame), since averaging sample pairs would fold 4–8 kHz energy back into the band as aliasing.
            var wide = _wideFloat.AsSpan(0, Math.Min(pcm.Length, _wideFloat.Length));
            PcmConversion.ToFloat(pcm[..wide.Length], wide);
            int count = _downsampler.Process(wide, _narrowFloat);
            PcmConversion.ToPcm16(_narrowFloat.AsSpan(0, count), _narrow);
            pcm = _narrow.AsSpan(0, count);
        }
        else if (sampleRate != 8000)
        {
            return;
        }

        if (!pcm.IsEmpty && agent.SendAudio(pcm))
        {
            Interlocked.Increment(ref _callerFrames);
        }
    }
}
