using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Inference.Tests.Vad;

public sealed class VadStreamTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    private const int W = SileroVadModel.WindowSamples;
    private const int C = SileroVadModel.ContextSamples;

    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;

    public VadStreamTests(VadModelFixture model, SpeechCorpusFixture corpus)
    {
        _model = model;
        _corpus = corpus;
    }

    [Fact]
    public void Each_window_is_the_last_64_samples_of_the_previous_one_then_512_new_ones()
    {
        var samples = Enumerable.Range(1, (5 * W) + 100).Select(i => i / 10_000f).ToArray();
        var stream = new VadStream(_model.Model);
        stream.Write(samples);

        var window = 0;
        while (stream.HasPendingWindow)
        {
            var input = stream.PendingInput.ToArray();
            Assert.Equal((long)window * W, stream.PendingWindowOffset);
            var expectedContext = window == 0 ? new float[C] : samples.AsSpan((window * W) - C, C).ToArray();
            Assert.Equal(expectedContext, input[..C]);
            Assert.Equal(samples.AsSpan(window * W, W).ToArray(), input[C..]);

            var result = stream.CompletePendingWindow(0.5f, stream.State);
            Assert.Equal((long)window * W, result.SampleOffset);
            window++;
        }

        Assert.Equal(5, window);
        Assert.Equal(samples.Length, stream.SamplesWritten);
        Assert.Throws<InvalidOperationException>(() => stream.PendingInput.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(160)]
    [InlineData(512)]
    [InlineData(1000)]
    public void Probabilities_do_not_depend_on_how_the_audio_is_chunked(int chunk)
    {
        var audio = _corpus.Clean.AsSpan(0, 2 * SpeechCorpusFixture.SampleRate).ToArray();
        var whole = new List<VadWindowResult>();
        new VadStream(_model.Model).Process(audio, whole);

        var chunked = new List<VadWindowResult>();
        var stream = new VadStream(_model.Model);
        for (var offset = 0; offset < audio.Length; offset += chunk)
        {
            stream.Process(audio.AsSpan(offset, Math.Min(chunk, audio.Length - offset)), chunked);
        }

        Assert.Equal(audio.Length / W, whole.Count);
        Assert.Equal(whole, chunked);
        Assert.Contains(whole, r => r.Probability > 0.5f); // the second second holds speech
    }

    [Fact]
    public void Non_finite_samples_are_treated_as_silence()
    {
        var poisoned = _corpus.Silence.AsSpan(0, 4 * W).ToArray();
        poisoned[10] = float.NaN;
        poisoned[600] = float.PositiveInfinity;
        var zeros = new float[poisoned.Length];

        var fromPoisoned = new List<VadWindowResult>();
        new VadStream(_model.Model).Process(poisoned, fromPoisoned);
        var fromZeros = new List<VadWindowResult>();
        new VadStream(_model.Model).Process(zeros, fromZeros);

        Assert.Equal(fromZeros, fromPoisoned);
        Assert.All(fromPoisoned, r => Assert.True(float.IsFinite(r.Probability)));
    }
}
