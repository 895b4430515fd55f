using StepAudio.Telephony.CallEngine.Analysis;
using StepAudio.Telephony.CallEngine.Tests.Turns;

namespace StepAudio.Telephony.CallEngine.Tests;

/// <summary>Which audio the call hands its speech detector: narrowband as received, wideband as is (issue 15).</summary>
public sealed class EngineCallAudioTests : IDisposable
{
    private readonly ScriptedDetector _detector = new();
    private readonly EngineCall _call;

    public EngineCallAudioTests()
    {
        _call = new EngineCall(new EngineCallSetup("call-1", _detector, _ => { }, new ManualTimeProvider())
        {
            AnalysisOptions = new CallAnalysisOptions { NonSpeech = { Enabled = false } },
        });
    }

    public void Dispose() => _call.Dispose();

    [Fact]
    public void Narrowband_frames_reach_the_detector_at_8_kHz_and_wideband_frames_at_16_kHz()
    {
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");

        _call.OnAudio(new short[160], 8_000);
        _call.OnAudio(new short[320], 16_000);
        _call.OnAudio(new float[320]);

        Assert.Equal([(160, 8_000), (320, 16_000), (320, 16_000)], _detector.Frames);
        Assert.Equal(3 * 320, _detector.ScoredSamples); // 60 ms in 16 kHz samples whatever the rates
    }
}
