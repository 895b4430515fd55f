using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Tests.TestSupport;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;

namespace StepAudio.Telephony.Inference.Tests.Vad.Batching;

/// <summary>The scheduler on the real Silero model: batched results against batch-1 results on the same audio.</summary>
public sealed class BatchedInferenceTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    private const int Packet = 320;
    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;

    public BatchedInferenceTests(VadModelFixture model, SpeechCorpusFixture corpus)
    {
        _model = model;
        _corpus = corpus;
    }

    [Fact]
    public void Batched_probabilities_equal_batch_1_probabilities_for_streams_that_join_and_leave()
    {
        // Different audio per stream, so that a result routed to the wrong stream or a state mixed up between
        // slots shows; streams join late and one leaves early so that slots and batch sizes change during the run.
        float[][] audio =
        [
            _corpus.Clean,
            _corpus.Telephone,
            _corpus.Noise,
            _corpus.Clean.AsSpan(8_000).ToArray(),
            _corpus.Telephone.AsSpan(0, 60_000).ToArray(),
            _corpus.Silence,
        ];
        int[] joinAtPacket = [0, 0, 5, 17, 40, 3];
        using var scheduler = new VadBatchScheduler(_model.Model, Options.Create(Settings(maxBatchSize: 4)));
        var streams = new ScheduledVadStream?[audio.Length];
        var written = new int[audio.Length];
        var batched = audio.Select(_ => new List<VadWindowResult>()).ToArray();
        for (var packet = 0; written.Where((w, i) => w < audio[i].Length).Any(); packet++)
        {
            for (var i = 0; i < audio.Length; i++)
            {
                if (packet < joinAtPacket[i] || written[i] >= audio[i].Length)
                {
                    continue;
                }

                streams[i] ??= scheduler.Register();
                var count = Math.Min(Packet, audio[i].Length - written[i]);
                streams[i]!.Write(audio[i].AsSpan(written[i], count));
                written[i] += count;
                streams[i]!.TakeResults(batched[i]);
                if (written[i] >= audio[i].Length)
                {
                    streams[i]!.Complete();
                    streams[i]!.TakeResults(batched[i]);
                }
            }
        }

        for (var i = 0; i < audio.Length; i++)
        {
            var single = new List<VadWindowResult>();
            new VadStream(_model.Model).Process(audio[i], single);

            Assert.Equal(0, streams[i]!.WindowsDropped);
            Assert.Equal(audio[i].Length / SileroVadModel.WindowSamples, batched[i].Count);
            Assert.Equal(single.Select(r => r.SampleOffset), batched[i].Select(r => r.SampleOffset));
            Assert.All(batched[i], r => Assert.True(float.IsFinite(r.Probability) && r.Probability is >= 0f and <= 1f));
            for (var w = 0; w < single.Count; w++)
            {
                Assert.True(
                    Math.Abs(single[w].Probability - batched[i][w].Probability) <= 1e-5f,
                    $"stream {i} window {w}: batch-1 {single[w].Probability} vs batched {batched[i][w].Probability}");
            }
        }

        Assert.Contains(batched[0], r => r.Probability > 0.5f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Batched_detector_finds_the_same_segments_at_the_same_times_as_the_inline_detector(bool telephone)
    {
        var audio = telephone ? _corpus.Telephone : _corpus.Clean;
        using var scheduler = new VadBatchScheduler(_model.Model, Options.Create(Settings()));
        var (inline, inlineStarts) = Detect(new SpeechDetector(_model.Model, _model.Options), audio);
        var (batched, batchedStarts) = Detect(scheduler.CreateDetector(), audio);

        Assert.Equal(2, inline.Count);
        Assert.Equal(inline, batched);
        Assert.Equal(inlineStarts, batchedStarts);
    }

    [Fact]
    public void Non_finite_samples_never_give_a_non_finite_probability()
    {
        var audio = _corpus.Clean.AsSpan(0, 32_000).ToArray();
        for (var i = 0; i < audio.Length; i += 97)
        {
            audio[i] = (i % 3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
        }

        using var scheduler = new VadBatchScheduler(_model.Model, Options.Create(Settings()));
        var stream = scheduler.Register();
        stream.Write(audio);
        stream.Complete();
        var results = new List<VadWindowResult>();
        stream.TakeResults(results);

        Assert.Equal(audio.Length / SileroVadModel.WindowSamples, results.Count);
        Assert.All(results, r => Assert.True(float.IsFinite(r.Probability), $"window at {r.SampleOffset} is {r.Probability}"));
    }

    [Fact]
    public void A_run_through_the_preallocated_binding_allocates_no_managed_memory()
    {
        using var runner = new SileroBatchRunner(_model.Model, 8);
        _corpus.Clean.AsSpan(0, 8 * SileroVadModel.InputSamples).CopyTo(runner.Input);
        runner.Run(8); // binds batch size 8 once

        var before = GC.GetAllocatedBytesForCurrentThread();
        runner.Run(8);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.All(runner.Probabilities[..8].ToArray(), p => Assert.InRange(p, 0f, 1f));
    }

    private VadOptions Settings(int maxBatchSize = 256) => new()
    {
        ModelPath = _model.Options.ModelPath,
        InferenceThreads = 1,
        MaxBatchSize = maxBatchSize,
        SilenceGateDbfs = null, // compared with ungated batch-1 runs (SilenceGateTests covers the gate)

        // The test feeds faster than real time; a generous bound keeps every window scored.
        MaxLagMs = 60_000,
    };

    private static (List<SpeechSegment> Segments, List<long> Starts) Detect(ISpeechDetector detector, float[] audio)
    {
        var segments = new List<SpeechSegment>();
        var starts = new List<long>();
        detector.SpeechStarted += (_, e) => starts.Add(e.SpeechStartSample);
        using (detector)
        {
            for (var i = 0; i < audio.Length; i += Packet)
            {
                detector.Process(audio.AsSpan(i, Math.Min(Packet, audio.Length - i)), segments);
            }

            detector.Complete(segments);
        }

        return (segments, starts);
    }
}
