using StepAudio.Telephony.Inference.Tests.Vad.Batching;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>
/// <see cref="ISpeechDetector.ScoringRate"/>: the rate a detector scores audio at, so that a call hands it audio at that
/// rate and nothing is resampled twice (issue 15: with Vad:NarrowbandAt8kHz off, narrowband frames were upsampled by
/// the call for the analysis and again inside the detector).
/// </summary>
public sealed class ScoringRateTests
{
    [Theory]
    [InlineData(true, 8_000, 8_000)]
    [InlineData(false, 8_000, 16_000)]
    [InlineData(true, 16_000, 16_000)]
    [InlineData(false, 16_000, 16_000)]
    public void Before_any_audio_the_detector_names_the_rate_its_first_audio_would_choose(bool narrowbandAt8kHz, int given, int expected)
    {
        using var scheduler = Scheduler(narrowbandAt8kHz, out var options);
        using var detector = new BatchedSpeechDetector(scheduler, options);

        Assert.Equal(expected, detector.ScoringRate(given));
        Assert.Null(detector.Rate); // asking chose nothing
    }

    [Fact]
    public void Once_a_call_began_wideband_its_narrowband_audio_is_scored_at_16_kHz()
    {
        using var scheduler = Scheduler(narrowbandAt8kHz: true, out var options);
        using var detector = new BatchedSpeechDetector(scheduler, options);

        detector.Process(new float[320], 16_000, []);

        Assert.Same(SileroRate.Wideband, detector.Rate);
        Assert.Equal(16_000, detector.ScoringRate(8_000));
        Assert.Equal(16_000, detector.ScoringRate(16_000));
    }

    [Fact]
    public void A_rate_the_model_does_not_take_is_refused()
    {
        using var scheduler = Scheduler(narrowbandAt8kHz: true, out var options);
        using var detector = new BatchedSpeechDetector(scheduler, options);

        Assert.Throws<ArgumentOutOfRangeException>(() => detector.ScoringRate(11_025));
    }

    private static VadBatchScheduler Scheduler(bool narrowbandAt8kHz, out VadOptions options)
    {
        options = new VadOptions { InferenceThreads = 1, NarrowbandAt8kHz = narrowbandAt8kHz, SilenceGateDbfs = null };
        return new VadBatchScheduler(maxBatchSize => new ScriptedRunner(maxBatchSize), options);
    }
}
