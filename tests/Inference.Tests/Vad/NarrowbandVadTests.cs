using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Vad;
using StepAudio.Telephony.Inference.Vad.Batching;
using Xunit.Abstractions;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>
/// The real model at 8 kHz on telephone speech as received (G.711 µ-law decoded, no resampling), against the same
/// speech scored at 16 kHz: the path narrowband calls take since issue 15.
/// </summary>
public sealed class NarrowbandVadTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    // 20 ms RTP packets: 160 samples at 8 kHz (which, like 320 at 16 kHz, does not divide the window).
    private const int Packet8k = 160;
    private const int Packet16k = 320;
    private const int Window16k = SileroVadModel.WindowSamples;
    private const double ToleranceSeconds = 0.25;

    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;
    private readonly ITestOutputHelper _output;

    public NarrowbandVadTests(VadModelFixture model, SpeechCorpusFixture corpus, ITestOutputHelper output)
    {
        _model = model;
        _corpus = corpus;
        _output = output;
    }

    [Fact]
    public void The_model_takes_8_kHz_windows_and_hears_speech_in_them_but_not_in_the_silence()
    {
        var results = new List<VadWindowResult>();
        new VadStream(_model.Model, gate: null, SileroRate.Narrowband).Process(_corpus.Telephone8k, results);

        Assert.Equal(_corpus.Telephone8k.Length / SileroRate.Narrowband.WindowSamples, results.Count);
        Assert.Equal(Enumerable.Range(0, results.Count).Select(w => (long)w * Window16k), results.Select(r => r.SampleOffset));
        Assert.All(results, r => Assert.True(float.IsFinite(r.Probability) && r.Probability is >= 0f and <= 1f));
        var leadWindows = (int)(SpeechCorpusFixture.LeadSeconds * 1000 / 32) - 4;
        Assert.All(results.Take(leadWindows), r => Assert.True(r.Probability < 0.2f, $"lead-in silence scored {r.Probability}"));
        Assert.Contains(results, r => r.Probability > 0.9f);
    }

    [Fact]
    public void Telephone_speech_scored_at_8_kHz_gives_one_segment_per_utterance_where_the_speech_is()
    {
        var (narrow, narrowStarts, rate) = Detect(new SpeechDetector(_model.Model, _model.Options), _corpus.Telephone8k, 8_000);
        var (wide, wideStarts, _) = Detect(new SpeechDetector(_model.Model, _model.Options), _corpus.Telephone, 16_000);

        Assert.Same(SileroRate.Narrowband, rate);
        Assert.Equal(_corpus.TrueSpeech.Length, narrow.Count);
        for (var i = 0; i < narrow.Count; i++)
        {
            var (trueStart, trueEnd) = _corpus.TrueSpeech[i];
            _output.WriteLine(
                $"utterance {i}: 8 kHz {narrow[i].Start.TotalSeconds:0.000}-{narrow[i].End.TotalSeconds:0.000} s, " +
                $"16 kHz {wide[i].Start.TotalSeconds:0.000}-{wide[i].End.TotalSeconds:0.000} s, speech {trueStart / 16000.0:0.000}-{trueEnd / 16000.0:0.000} s");
            Assert.InRange(narrow[i].Start.TotalSeconds, (trueStart / 16000.0) - ToleranceSeconds, (trueStart / 16000.0) + ToleranceSeconds);
            Assert.InRange(narrow[i].End.TotalSeconds, (trueEnd / 16000.0) - ToleranceSeconds, (trueEnd / 16000.0) + ToleranceSeconds);
        }

        // Onsets within two windows (64 ms) of the 16 kHz model's on the same telephone speech.
        Assert.Equal(wideStarts.Count, narrowStarts.Count);
        for (var i = 0; i < wideStarts.Count; i++)
        {
            Assert.InRange(narrowStarts[i], wideStarts[i] - (2 * Window16k), wideStarts[i] + (2 * Window16k));
        }
    }

    [Fact]
    public void At_8_kHz_the_silence_gate_skips_the_pauses_and_finds_the_same_segments()
    {
        float[] audio = [.. _corpus.Telephone8k, .. new float[16_000], .. _corpus.Telephone8k, .. new float[8_000]];

        var (ungated, ungatedWindows) = Gated(audio, gateDbfs: null);
        var (gated, gatedWindows) = Gated(audio, gateDbfs: -60f);

        Assert.Equal(4, ungated.Count);
        Assert.Equal(ungated.Count, gated.Count);
        for (var i = 0; i < ungated.Count; i++)
        {
            Assert.InRange(gated[i].StartSample, ungated[i].StartSample - (20L * Window16k), ungated[i].StartSample);
            Assert.InRange(gated[i].EndSample, ungated[i].EndSample - (20L * Window16k), ungated[i].EndSample + (20L * Window16k));
        }

        Assert.Equal(0, ungatedWindows);
        Assert.True(gatedWindows >= 80, $"only {gatedWindows} silent windows were gated");
    }

    [Fact]
    public void Batches_of_8_and_16_kHz_windows_run_apart_and_give_each_stream_its_batch_1_result()
    {
        // Two rates on one inference thread, so that both lanes run on the same passes; streams of each rate with
        // different audio, so that a result or state crossing streams or rates shows.
        var options = new VadOptions { ModelPath = _model.Options.ModelPath, InferenceThreads = 1, MaxBatchSize = 4, MaxLagMs = 60_000, SilenceGateDbfs = null };
        using var scheduler = new VadBatchScheduler(_model.Model, Options.Create(options));
        (float[] Audio, SileroRate Rate)[] inputs =
        [
            (_corpus.Telephone8k, SileroRate.Narrowband),
            (_corpus.Clean, SileroRate.Wideband),
            (_corpus.Telephone8k.AsSpan(4_000).ToArray(), SileroRate.Narrowband),
            (_corpus.Telephone, SileroRate.Wideband),
        ];
        var streams = inputs.Select(i => scheduler.Register(i.Rate)).ToArray();
        var batched = inputs.Select(_ => new List<VadWindowResult>()).ToArray();
        for (var packet = 0; packet * Packet16k < _corpus.Clean.Length + Packet16k; packet++)
        {
            for (var s = 0; s < inputs.Length; s++)
            {
                var (audio, rate) = inputs[s];
                var size = rate == SileroRate.Narrowband ? Packet8k : Packet16k;
                var from = packet * size;
                if (from < audio.Length)
                {
                    streams[s].Write(audio.AsSpan(from, Math.Min(size, audio.Length - from)));
                }

                streams[s].TakeResults(batched[s]);
            }
        }

        for (var s = 0; s < inputs.Length; s++)
        {
            streams[s].Complete();
            streams[s].TakeResults(batched[s]);
            var single = new List<VadWindowResult>();
            new VadStream(_model.Model, gate: null, inputs[s].Rate).Process(inputs[s].Audio, single);

            Assert.Equal(0, streams[s].WindowsDropped);
            Assert.Equal(single.Select(r => r.SampleOffset), batched[s].Select(r => r.SampleOffset));
            for (var w = 0; w < single.Count; w++)
            {
                Assert.True(
                    Math.Abs(single[w].Probability - batched[s][w].Probability) <= 1e-5f,
                    $"stream {s} ({inputs[s].Rate}) window {w}: batch-1 {single[w].Probability} vs batched {batched[s][w].Probability}");
            }

            streams[s].Dispose();
        }
    }

    [Fact]
    public void The_batched_detector_scores_narrowband_audio_at_8_kHz_as_the_inline_detector_does()
    {
        var options = new VadOptions { ModelPath = _model.Options.ModelPath, InferenceThreads = 1, MaxLagMs = 60_000 };
        using var scheduler = new VadBatchScheduler(_model.Model, Options.Create(options));
        var (inline, inlineStarts, _) = Detect(new SpeechDetector(_model.Model, options), _corpus.Telephone8k, 8_000);
        var (batched, batchedStarts, rate) = Detect(scheduler.CreateDetector(), _corpus.Telephone8k, 8_000);

        Assert.Same(SileroRate.Narrowband, rate);
        Assert.Equal(2, inline.Count);
        Assert.Equal(inline, batched);
        Assert.Equal(inlineStarts, batchedStarts);
    }

    [Fact]
    public void With_the_option_off_narrowband_audio_is_upsampled_and_scored_at_16_kHz()
    {
        var options = new VadOptions { ModelPath = _model.Options.ModelPath, NarrowbandAt8kHz = false };
        var (segments, _, rate) = Detect(new SpeechDetector(_model.Model, options), _corpus.Telephone8k, 8_000);

        Assert.Same(SileroRate.Wideband, rate);
        Assert.Equal(_corpus.TrueSpeech.Length, segments.Count);
        Assert.InRange(segments[0].Start.TotalSeconds, (_corpus.TrueSpeech[0].Start / 16000.0) - ToleranceSeconds, (_corpus.TrueSpeech[0].Start / 16000.0) + ToleranceSeconds);
    }

    [Fact]
    public void A_call_that_changes_to_a_wideband_codec_keeps_its_8_kHz_stream_and_its_timeline()
    {
        // The first utterance arrives at 8 kHz, the rest (a re-INVITE to G.722) at 16 kHz: one stream, one timeline.
        using var detector = new SpeechDetector(_model.Model, _model.Options);
        var segments = new List<SpeechSegment>();
        var switchAt8k = (int)((SpeechCorpusFixture.LeadSeconds + (_corpus.Utterance.Length / 16000.0) + 0.5) * 8_000) / Packet8k * Packet8k;
        for (var i = 0; i < switchAt8k; i += Packet8k)
        {
            detector.Process(_corpus.Telephone8k.AsSpan(i, Packet8k), 8_000, segments);
        }

        for (var i = 2 * switchAt8k; i < _corpus.Telephone.Length; i += Packet16k)
        {
            detector.Process(_corpus.Telephone.AsSpan(i, Math.Min(Packet16k, _corpus.Telephone.Length - i)), 16_000, segments);
        }

        detector.Complete(segments);

        Assert.Same(SileroRate.Narrowband, detector.Rate);
        Assert.Equal(_corpus.TrueSpeech.Length, segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            Assert.InRange(segments[i].Start.TotalSeconds, (_corpus.TrueSpeech[i].Start / 16000.0) - ToleranceSeconds, (_corpus.TrueSpeech[i].Start / 16000.0) + ToleranceSeconds);
        }
    }

    private static (List<SpeechSegment> Segments, List<long> Starts, SileroRate? Rate) Detect(ISpeechDetector detector, float[] audio, int sampleRate)
    {
        using (detector)
        {
            var starts = new List<long>();
            detector.SpeechStarted += (_, e) => starts.Add(e.SpeechStartSample);
            var segments = new List<SpeechSegment>();
            var packet = sampleRate / 50;
            for (var offset = 0; offset < audio.Length; offset += packet)
            {
                detector.Process(audio.AsSpan(offset, Math.Min(packet, audio.Length - offset)), sampleRate, segments);
            }

            detector.Complete(segments);
            var rate = detector switch
            {
                SpeechDetector inline => inline.Rate,
                BatchedSpeechDetector batched => batched.Rate,
                _ => null,
            };
            return (segments, starts, rate);
        }
    }

    private (List<SpeechSegment> Segments, long Gated) Gated(float[] audio8k, float? gateDbfs)
    {
        var options = new VadOptions { ModelPath = _model.Options.ModelPath, SilenceGateDbfs = gateDbfs };
        using var detector = new SpeechDetector(_model.Model, options);
        var segments = new List<SpeechSegment>();
        for (var i = 0; i < audio8k.Length; i += Packet8k)
        {
            detector.Process(audio8k.AsSpan(i, Math.Min(Packet8k, audio8k.Length - i)), 8_000, segments);
        }

        detector.Complete(segments);
        return (segments, detector.WindowsGated);
    }
}
