using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>
/// The segmentation rules on synthetic probabilities. Expected positions are derived from the window size and the
/// options (see the rules on <see cref="SpeechSegmenter"/>), never taken from a run of the code.
/// </summary>
public sealed class SpeechSegmenterTests
{
    private const int W = SpeechSegmenter.WindowSamples;
    private const int SamplesPerMs = 16;
    private const float Speech = 0.9f;
    private const float Silence = 0.05f;

    private static readonly VadOptions Defaults = new();

    private static long Pad => Defaults.SpeechPadMs * SamplesPerMs;

    // Silence is measured to the end of the current window, so k silent windows are k·W samples of silence.
    private static int MinSilenceWindows => CeilDiv(Defaults.MinSilenceMs * SamplesPerMs, W);

    private static int MinSpeechWindows => CeilDiv(Defaults.MinSpeechMs * SamplesPerMs, W);

    [Fact]
    public void Silence_only_gives_no_event_and_no_segment()
    {
        var run = Feed(new VadOptions(), (Silence, 200));

        Assert.Empty(run.Segments);
        Assert.Empty(run.Starts);
        Assert.Null(run.Flushed);
    }

    [Fact]
    public void Speech_closes_after_min_silence_with_padding_on_both_sides()
    {
        const int speechStart = 10;
        const int speechWindows = 20;
        var run = Feed(new VadOptions(), (Silence, speechStart), (Speech, speechWindows), (Silence, 40));

        var speechEndSample = (long)(speechStart + speechWindows) * W;
        var segment = Assert.Single(run.Segments);
        Assert.Equal(new SpeechSegment((speechStart * W) - Pad, speechEndSample + Pad), segment.Segment);
        Assert.Equal(speechStart + speechWindows + MinSilenceWindows - 1, segment.PushIndex);
        Assert.Equal([speechStart], run.Starts);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void Segments_shorter_than_min_speech_are_dropped(int windowsAroundMinimum, bool kept)
    {
        var speechWindows = MinSpeechWindows + windowsAroundMinimum;
        var run = Feed(new VadOptions(), (Silence, 5), (Speech, speechWindows), (Silence, 40));

        Assert.Equal(kept ? 1 : 0, run.Segments.Count);
        Assert.Equal(kept ? 0 : 1, run.Discarded);
        Assert.Equal([5], run.Starts); // the start is announced before the length is known
    }

    [Theory]
    [InlineData(-2, 1)]
    [InlineData(-1, 1)]
    [InlineData(0, 2)]
    [InlineData(5, 2)]
    public void Gaps_shorter_than_min_silence_are_bridged(int windowsAroundMinSilence, int expectedSegments)
    {
        const int first = 20;
        const int second = 15;
        var gap = MinSilenceWindows + windowsAroundMinSilence;
        var run = Feed(new VadOptions(), (Silence, 3), (Speech, first), (Silence, gap), (Speech, second), (Silence, 40));

        Assert.Equal(expectedSegments, run.Segments.Count);
        var secondEnd = (long)(3 + first + gap + second) * W;
        Assert.Equal((3 * W) - Pad, run.Segments[0].Segment.StartSample);
        Assert.Equal(secondEnd + Pad, run.Segments[^1].Segment.EndSample);
        if (expectedSegments == 2)
        {
            Assert.Equal(((3L + first) * W) + Pad, run.Segments[0].Segment.EndSample);
            Assert.Equal(((3L + first + gap) * W) - Pad, run.Segments[1].Segment.StartSample);
        }
    }

    [Fact]
    public void Probabilities_between_the_thresholds_neither_start_nor_end_speech()
    {
        var between = (Defaults.Threshold + Defaults.EffectiveNegativeThreshold) / 2;
        var run = Feed(new VadOptions(), (between, 30), (Speech, 10), (between, 50), (Silence, 40));

        var segment = Assert.Single(run.Segments);
        Assert.Equal((30L * W) - Pad, segment.Segment.StartSample);
        Assert.Equal((90L * W) + Pad, segment.Segment.EndSample);
    }

    [Fact]
    public void Explicit_negative_threshold_is_used()
    {
        var options = new VadOptions { Threshold = 0.6f, NegativeThreshold = 0.2f };
        var run = Feed(options, (Speech, 10), (0.3f, 20), (0.1f, 40));

        var segment = Assert.Single(run.Segments);
        Assert.Equal(30L * W + Pad, segment.Segment.EndSample);
    }

    [Fact]
    public void Start_padding_stops_at_sample_zero()
    {
        var run = Feed(new VadOptions(), (Speech, 20), (Silence, 40));

        Assert.Equal(0, Assert.Single(run.Segments).Segment.StartSample);
    }

    [Fact]
    public void Long_speech_is_split_into_contiguous_segments_no_longer_than_max()
    {
        var options = new VadOptions { MaxSpeechSeconds = 2 };
        var max = options.MaxSpeechSeconds * 16_000L;
        const int speechStart = 3;
        const int speechWindows = 200;
        var run = Feed(options, (Silence, speechStart), (Speech, speechWindows), (Silence, 40));

        // Rule: a segment closes at the first window that would not fit with its end padding; the next one starts there.
        var expected = new List<SpeechSegment>();
        var segmentStart = (speechStart * W) - Pad;
        for (var i = speechStart + 1; i < speechStart + speechWindows; i++)
        {
            if (((i + 1L) * W) + Pad - segmentStart > max)
            {
                expected.Add(new SpeechSegment(segmentStart, (long)i * W));
                segmentStart = (long)i * W;
            }
        }

        expected.Add(new SpeechSegment(segmentStart, ((long)(speechStart + speechWindows) * W) + Pad));

        Assert.Equal(expected, run.Segments.Select(s => s.Segment));
        Assert.True(expected.Count >= 4, "200 windows of 32 ms must need several 2 s segments");
        Assert.All(run.Segments, s => Assert.True(s.Segment.EndSample - s.Segment.StartSample <= max));
        Assert.Equal([speechStart], run.Starts);
    }

    [Fact]
    public void Flush_closes_open_speech_at_the_end_of_the_processed_audio()
    {
        var run = Feed(new VadOptions(), (Silence, 10), (Speech, 30));

        Assert.Empty(run.Segments);
        Assert.Equal(new SpeechSegment((10 * W) - Pad, 40L * W), run.Flushed);
    }

    [Fact]
    public void Flush_in_trailing_silence_ends_at_the_silence_with_padding()
    {
        var run = Feed(new VadOptions(), (Silence, 10), (Speech, 30), (Silence, MinSilenceWindows - 1));

        Assert.Empty(run.Segments);
        Assert.Equal(new SpeechSegment((10 * W) - Pad, (40L * W) + Pad), run.Flushed);
    }

    [Fact]
    public void Flush_drops_a_short_open_segment_and_is_idempotent()
    {
        var segmenter = new SpeechSegmenter(new VadOptions());
        for (var i = 0; i < MinSpeechWindows - 1; i++)
        {
            segmenter.Push(Speech, out _);
        }

        Assert.Null(segmenter.Flush());
        Assert.Null(segmenter.Flush());
        Assert.False(segmenter.InSpeech);
    }

    [Fact]
    public void Segment_times_are_exact_at_16_kHz()
    {
        var segment = new SpeechSegment(16_000, 40_000);

        Assert.Equal(TimeSpan.FromSeconds(1), segment.Start);
        Assert.Equal(TimeSpan.FromSeconds(2.5), segment.End);
        Assert.Equal(TimeSpan.FromSeconds(1.5), segment.Duration);
    }

    [Theory]
    [InlineData("gpu", 1, 0.5f)]
    [InlineData("cpu", 0, 0.5f)]
    [InlineData("cpu", 1, 1.5f)]
    public void Invalid_options_are_rejected(string provider, int threads, float threshold)
    {
        var options = new VadOptions { ExecutionProvider = provider, IntraOpNumThreads = threads, Threshold = threshold };

        Assert.Throws<ArgumentException>(() => new SpeechSegmenter(options));
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;

    private static Outcome Feed(VadOptions options, params (float Probability, int Windows)[] runs)
    {
        var segmenter = new SpeechSegmenter(options);
        var outcome = new Outcome();
        var index = 0;
        foreach (var (probability, windows) in runs)
        {
            for (var i = 0; i < windows; i++, index++)
            {
                var events = segmenter.Push(probability, out var segment);
                if ((events & SegmenterEvents.SpeechStarted) != 0)
                {
                    outcome.Starts.Add(index);
                }

                if ((events & SegmenterEvents.SegmentCompleted) != 0)
                {
                    outcome.Segments.Add((segment, index));
                }

                if ((events & SegmenterEvents.SegmentDiscarded) != 0)
                {
                    outcome.Discarded++;
                }
            }
        }

        Assert.Equal((long)index * W, segmenter.ProcessedSamples);
        outcome.Flushed = segmenter.Flush();
        return outcome;
    }

    private sealed class Outcome
    {
        public List<(SpeechSegment Segment, int PushIndex)> Segments { get; } = [];

        public List<int> Starts { get; } = [];

        public int Discarded { get; set; }

        public SpeechSegment? Flushed { get; set; }
    }
}
