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

    [Fact]
    public void A_detector_that_scores_narrowband_at_16_kHz_gets_the_upsampled_frame_and_converts_nothing_itself()
    {
        // Vad:NarrowbandAt8kHz off (or a call that began wideband): the 16 kHz frame the analysis needs anyway goes to
        // the detector, instead of the 8 kHz one that the detector would upsample a second time.
        _detector.ScoresAt = 16_000;
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");

        _call.OnAudio(new short[160], 8_000);
        _call.OnAudio(new short[320], 16_000);

        Assert.Equal([(320, 16_000), (320, 16_000)], _detector.Frames);
    }

    [Fact]
    public void A_detector_that_scores_at_8_kHz_gets_wideband_frames_at_16_kHz_to_convert_itself()
    {
        // A call that began narrowband and switched to G.722: only the detector can bring 16 kHz down to its 8 kHz.
        _detector.ScoresAt = 8_000;
        _call.Confirm("sip:a@x", "sip:b@y", "PCMU/8000");

        _call.OnAudio(new short[160], 8_000);
        _call.OnAudio(new short[320], 16_000);

        Assert.Equal([(160, 8_000), (320, 16_000)], _detector.Frames);
    }
}
