using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using StepAudio.Telephony.Inference.Tests.TestSupport;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Inference.Tests.Vad;

public sealed class SileroVadModelTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    private const int StateWidth = SileroVadModel.StateWidth;

    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;

    public SileroVadModelTests(VadModelFixture model, SpeechCorpusFixture corpus)
    {
        _model = model;
        _corpus = corpus;
    }

    [Fact]
    public void Batch_state_layout_is_plane_major()
    {
        const int batch = 3;
        var batchState = new float[batch * SileroVadModel.StateSamplesPerStream];
        for (var b = 0; b < batch; b++)
        {
            // Stream b's value for plane p, unit k: 1000·b + 100·p + k / 1000, unique and easy to read back.
            var stream = Enumerable.Range(0, 2 * StateWidth).Select(i => (1000f * b) + (100f * (i / StateWidth)) + (i % StateWidth / 1000f)).ToArray();
            SileroVadModel.CopyStateToBatch(stream, batchState, b, batch);
        }

        // [2, B, 128]: element (p, b, k) is at (p·B + b)·128 + k.
        for (var p = 0; p < 2; p++)
        {
            for (var b = 0; b < batch; b++)
            {
                for (var k = 0; k < StateWidth; k++)
                {
                    Assert.Equal((1000f * b) + (100f * p) + (k / 1000f), batchState[(((p * batch) + b) * StateWidth) + k]);
                }
            }
        }

        var back = new float[2 * StateWidth];
        SileroVadModel.CopyStateFromBatch(batchState, 1, batch, back);
        Assert.Equal(1000f, back[0]);
        Assert.Equal(1100f, back[StateWidth]);
    }

    [Fact]
    public void Batched_runs_of_three_streams_match_single_stream_runs_as_streams_change_slots()
    {
        const int windows = 120;
        var length = windows * SileroVadModel.WindowSamples;
        float[][] audio =
        [
            _corpus.Clean.AsSpan(0, length).ToArray(),
            _corpus.Telephone.AsSpan(SpeechCorpusFixture.SampleRate / 2, length).ToArray(),
            _corpus.Noise.AsSpan(0, length).ToArray(),
        ];

        var expected = audio.Select(a =>
        {
            var results = new List<VadWindowResult>();
            new VadStream(_model.Model).Process(a, results);
            return results.Select(r => r.Probability).ToArray();
        }).ToArray();

        var streams = audio.Select(a =>
        {
            var stream = new VadStream(_model.Model);
            stream.Write(a);
            return stream;
        }).ToArray();
        var actual = streams.Select(_ => new List<float>()).ToArray();
        for (var window = 0; streams.All(s => s.HasPendingWindow); window++)
        {
            // A scheduler regroups streams from run to run: rotate the slots every window and, every fourth window,
            // run one stream alone and the other two together. A state gather/scatter that only round-trips through
            // the same slot would hide a wrong layout; moving streams between slots and batch sizes exposes it.
            int[] order = [window % 3, (window + 1) % 3, (window + 2) % 3];
            if (window % 4 == 3)
            {
                RunBatch(streams, order[..1], actual);
                RunBatch(streams, order[1..], actual);
            }
            else
            {
                RunBatch(streams, order, actual);
            }
        }

        for (var b = 0; b < streams.Length; b++)
        {
            Assert.Equal(windows, actual[b].Count);
            for (var w = 0; w < windows; w++)
            {
                Assert.True(Math.Abs(expected[b][w] - actual[b][w]) <= 1e-5f, $"stream {b} window {w}: batch {actual[b][w]} vs single {expected[b][w]}");
            }
        }

        // The streams must differ, or a mixed-up state could go unnoticed.
        Assert.Contains(expected[0], p => p > 0.5f);
        Assert.DoesNotContain(expected[2], p => p > 0.5f);
    }

    [Fact]
    public async Task Concurrent_runs_on_the_shared_model_match_sequential_runs()
    {
        var length = 60 * SileroVadModel.WindowSamples;
        float[][] audio =
        [
            _corpus.Clean.AsSpan(SpeechCorpusFixture.SampleRate, length).ToArray(),
            _corpus.Telephone.AsSpan(SpeechCorpusFixture.SampleRate, length).ToArray(),
            _corpus.Noise.AsSpan(0, length).ToArray(),
        ];
        float[] Score(float[] samples)
        {
            var results = new List<VadWindowResult>();
            var stream = new VadStream(_model.Model);
            for (var offset = 0; offset < samples.Length; offset += 320)
            {
                stream.Process(samples.AsSpan(offset, Math.Min(320, samples.Length - offset)), results);
            }

            return results.Select(r => r.Probability).ToArray();
        }

        var sequential = audio.Select(Score).ToArray();
        var concurrent = await Task.WhenAll(audio.Select(a => Task.Run(() => Score(a))));

        Assert.Equal(sequential, concurrent);
    }

    [Fact]
    public void Run_rejects_buffers_that_do_not_match_the_batch()
    {
        var input = new float[2 * SileroVadModel.InputSamples];
        var state = new float[2 * SileroVadModel.StateSamplesPerStream];
        var probabilities = new float[2];

        Assert.Throws<ArgumentException>(() => _model.Model.Run(input, state, probabilities, 3));
        Assert.Throws<ArgumentException>(() => _model.Model.Run(input.AsSpan(1), state, probabilities, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.Model.Run(input, state, probabilities, 0));
    }

    [Fact]
    public void Model_loads_on_cpu_and_logs_provider_path_and_hash()
    {
        var logger = new CapturingLogger<SileroVadModel>();
        using var model = new SileroVadModel(Options.Create(_model.Options), logger);

        Assert.Equal("cpu", model.ExecutionProvider);
        var line = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("cpu", line.Message, StringComparison.Ordinal);
        Assert.Contains(model.ModelPath, line.Message, StringComparison.Ordinal);
        Assert.Contains("2623a2953f6f", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requesting_cuda_without_it_falls_back_to_cpu_with_one_warning()
    {
        var cudaBuilt = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");
        var logger = new CapturingLogger<SileroVadModel>();
        var options = Copy(_model.Options, "cuda", failIfUnavailable: false);

        using var model = new SileroVadModel(Options.Create(options), logger);

        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        if (cudaBuilt)
        {
            Assert.Equal("cuda", model.ExecutionProvider);
            Assert.Empty(warnings);
        }
        else
        {
            Assert.Equal("cpu", model.ExecutionProvider);
            var warning = Assert.Single(warnings);
            Assert.StartsWith("Silero VAD: CUDA execution provider requested but unavailable, running on the CPU instead (", warning.Message, StringComparison.Ordinal);
            Assert.Contains("no CUDAExecutionProvider", warning.Message, StringComparison.Ordinal);
        }

        var results = new List<VadWindowResult>();
        new VadStream(model).Process(_corpus.Clean, results);
        Assert.Contains(results, r => r.Probability > 0.5f);
    }

    [Fact]
    public void Requesting_cuda_without_it_fails_when_told_to()
    {
        var options = Copy(_model.Options, "cuda", failIfUnavailable: true);
        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            using var model = new SileroVadModel(Options.Create(options));
            Assert.Equal("cuda", model.ExecutionProvider);
            return;
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SileroVadModel(Options.Create(options)));
        Assert.StartsWith("Silero VAD: the CUDA execution provider was requested but cannot be used", error.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA 13", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cpu'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_file_names_the_fetch_script()
    {
        var options = Copy(_model.Options, "cpu", failIfUnavailable: false);
        options.ModelPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "silero_vad_v5.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => new SileroVadModel(Options.Create(options)));
        Assert.Contains("fetch-vad-model.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_model_path_is_resolved_against_the_app_base_directory()
    {
        var options = new VadOptions { ModelPath = "models/x.onnx" };

        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "models", "x.onnx"), options.ResolveModelPath());
    }

    private void RunBatch(VadStream[] streams, int[] slots, List<float>[] results)
    {
        var batch = slots.Length;
        var input = new float[batch * SileroVadModel.InputSamples];
        var state = new float[batch * SileroVadModel.StateSamplesPerStream];
        var probabilities = new float[batch];
        for (var slot = 0; slot < batch; slot++)
        {
            var stream = streams[slots[slot]];
            stream.PendingInput.CopyTo(input.AsSpan(slot * SileroVadModel.InputSamples));
            SileroVadModel.CopyStateToBatch(stream.State, state, slot, batch);
        }

        _model.Model.Run(input, state, probabilities, batch);

        var nextState = new float[SileroVadModel.StateSamplesPerStream];
        for (var slot = 0; slot < batch; slot++)
        {
            SileroVadModel.CopyStateFromBatch(state, slot, batch, nextState);
            results[slots[slot]].Add(streams[slots[slot]].CompletePendingWindow(probabilities[slot], nextState).Probability);
        }
    }

    private static VadOptions Copy(VadOptions source, string provider, bool failIfUnavailable) => new()
    {
        ModelPath = source.ModelPath,
        ExecutionProvider = provider,
        FailIfProviderUnavailable = failIfUnavailable,
    };
}
