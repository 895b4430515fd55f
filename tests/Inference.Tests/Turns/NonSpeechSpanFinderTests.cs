using StepAudio.Telephony.Inference.Turns;
using static StepAudio.Telephony.Inference.Tests.Turns.SpanAudio;

namespace StepAudio.Telephony.Inference.Tests.Turns;

public sealed class NonSpeechSpanFinderTests
{
    private static List<NonSpeechSpan> Run(float[] samples, NonSpeechSpanOptions? options = null, Func<long, bool>? inSpeech = null)
    {
        var finder = new NonSpeechSpanFinder(options ?? new NonSpeechSpanOptions());
        var spans = new List<NonSpeechSpan>();
        for (var at = 0; at < samples.Length; at += 320)
        {
            var n = Math.Min(320, samples.Length - at);
            finder.Process(samples.AsSpan(at, n), inSpeech?.Invoke(at) ?? false, spans);
        }

        finder.Complete(spans);
        return spans;
    }

    [Fact]
    public void Steady_noise_gives_no_spans()
    {
        Assert.Empty(Run(Noise(10, 0.01, seed: 1)));
    }

    [Fact]
    public void A_burst_20_dB_over_the_noise_is_found_where_it_is()
    {
        var audio = Noise(6, 0.003, seed: 2);
        AddBurst(audio, from: 2.0, seconds: 0.8, rms: 0.03);

        var span = Assert.Single(Run(audio));
        Assert.InRange(span.Start.TotalSeconds, 1.98, 2.03);
        Assert.InRange(span.Duration.TotalSeconds, 0.76, 0.83);
    }

    [Fact]
    public void Bursts_too_short_too_long_or_too_weak_are_not_candidates()
    {
        var audio = Noise(14, 0.003, seed: 3);
        AddBurst(audio, from: 1.0, seconds: 0.06, rms: 0.03);   // a click
        AddBurst(audio, from: 3.0, seconds: 0.5, rms: 0.006);   // +6 dB: under the 10 dB rise
        AddBurst(audio, from: 5.0, seconds: 5.0, rms: 0.03);    // a new background, not a sound
        AddBurst(audio, from: 12.0, seconds: 0.3, rms: 0.03);   // a real candidate after it

        var span = Assert.Single(Run(audio));
        Assert.InRange(span.Start.TotalSeconds, 11.98, 12.03);
    }

    [Fact]
    public void Laugh_like_pulses_with_short_gaps_are_one_span()
    {
        var audio = Noise(5, 0.003, seed: 4);
        for (var k = 0; k < 5; k++)
        {
            AddBurst(audio, from: 1.0 + (0.2 * k), seconds: 0.12, rms: 0.03); // 5 per second, 80 ms gaps
        }

        var span = Assert.Single(Run(audio));
        Assert.InRange(span.Duration.TotalSeconds, 0.9, 0.95);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(159)]
    [InlineData(160)]
    [InlineData(333)]
    [InlineData(96_000)]
    public void How_the_audio_is_cut_into_calls_changes_nothing(int chunk)
    {
        // The reference: one sample per call, the way the finder summed energy before it summed a frame at a time.
        var audio = Noise(6, 0.003, seed: 6);
        AddBurst(audio, from: 1.0, seconds: 0.5, rms: 0.03);
        AddBurst(audio, from: 3.0, seconds: 0.9, rms: 0.02);
        var (expected, expectedFloor) = RunInChunks(audio, 1);

        var (spans, floor) = RunInChunks(audio, chunk);

        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, spans);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expectedFloor), BitConverter.DoubleToInt64Bits(floor)); // to the last bit
    }

    private static (List<NonSpeechSpan> Spans, double Floor) RunInChunks(float[] samples, int chunk)
    {
        var finder = new NonSpeechSpanFinder(new NonSpeechSpanOptions());
        var spans = new List<NonSpeechSpan>();
        for (var at = 0; at < samples.Length; at += chunk)
        {
            finder.Process(samples.AsSpan(at, Math.Min(chunk, samples.Length - at)), inSpeech: false, spans);
        }

        var floor = finder.NoiseFloorDb;
        finder.Complete(spans);
        return (spans, floor);
    }

    [Fact]
    public void A_burst_during_speech_is_left_to_the_speech_segment()
    {
        var audio = Noise(6, 0.003, seed: 5);
        AddBurst(audio, from: 2.0, seconds: 0.8, rms: 0.03);
        Assert.Empty(Run(audio, inSpeech: at => at >= 2.2 * Rate && at < 3.5 * Rate));
    }
}
