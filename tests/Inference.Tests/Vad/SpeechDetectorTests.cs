using StepAudio.Telephony.Inference.Vad;
using Xunit.Abstractions;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>The real model on espeak-ng speech made at test time, clean and through a telephone channel.</summary>
public sealed class SpeechDetectorTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    // RTP carries 20 ms of audio per packet; at 16 kHz that is 320 samples, which does not divide the 512-sample window.
    private const int ChunkSamples = 320;
    private const double ToleranceSeconds = 0.25;

    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;
    private readonly ITestOutputHelper _output;

    public SpeechDetectorTests(VadModelFixture model, SpeechCorpusFixture corpus, ITestOutputHelper output)
    {
        _model = model;
        _corpus = corpus;
        _output = output;
    }

    [Fact]
    public void Corpus_is_laid_out_as_asked()
    {
        Assert.Equal(_corpus.ExpectedCleanLength, _corpus.Clean.Length);
        Assert.InRange(_corpus.Telephone.Length, _corpus.Clean.Length - 2, _corpus.Clean.Length + 2);
        var residual = _corpus.Clean.Zip(_corpus.Telephone, (c, t) => c - t).ToArray();
        var channelEffectDb = TestSupport.SoxAudio.RmsDbfs(residual) - TestSupport.SoxAudio.RmsDbfs(_corpus.Clean);
        _output.WriteLine($"telephone channel changes the signal by {channelEffectDb:0.0} dB");
        Assert.True(channelEffectDb > -30, "the telephone channel must audibly change the signal (band-pass and µ-law)");
        Assert.All(_corpus.TrueSpeech, s => Assert.True(s.End - s.Start > SpeechCorpusFixture.SampleRate, "the utterance must be over 1 s of speech"));
    }

    [Fact]
    public void Clean_speech_gives_one_segment_per_utterance_where_the_speech_is()
    {
        var (segments, starts, total) = Detect(_corpus.Clean);

        Assert.Equal(_corpus.Clean.Length, total);
        AssertMatchesTrueSpeech(segments);
        Assert.Equal(segments.Select(s => s.StartSample + ((long)_model.Options.SpeechPadMs * 16)).Select(Window), starts.Select(Window));
    }

    [Fact]
    public void Telephone_channel_speech_still_gives_one_segment_per_utterance()
    {
        var (segments, _, _) = Detect(_corpus.Telephone);

        AssertMatchesTrueSpeech(segments);
    }

    [Fact]
    public void Digital_silence_gives_no_segment_and_low_probabilities()
    {
        var (segments, starts, _) = Detect(_corpus.Silence);
        var probabilities = Probabilities(_corpus.Silence);

        Assert.Empty(segments);
        Assert.Empty(starts);
        Assert.Equal(_corpus.Silence.Length / SileroVadModel.WindowSamples, probabilities.Count);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 0.1f));
    }

    [Fact]
    public void White_noise_at_minus_30_dBFS_is_not_taken_for_speech()
    {
        var probabilities = Probabilities(_corpus.Noise);
        var (segments, _, _) = Detect(_corpus.Noise);
        _output.WriteLine($"noise: max p {probabilities.Max():0.000}, mean p {probabilities.Average():0.000}, segments {segments.Count}");

        Assert.Empty(segments);
        Assert.True(probabilities.Max() < _model.Options.Threshold, $"max speech probability on noise was {probabilities.Max():0.000}");
        Assert.True(probabilities.Average() < 0.2, $"mean speech probability on noise was {probabilities.Average():0.000}");
    }

    private static long Window(long sample) => sample / SileroVadModel.WindowSamples;

    private void AssertMatchesTrueSpeech(List<SpeechSegment> segments)
    {
        foreach (var s in segments)
        {
            _output.WriteLine($"segment {s.Start.TotalSeconds:0.000}-{s.End.TotalSeconds:0.000} s");
        }

        foreach (var (start, end) in _corpus.TrueSpeech)
        {
            _output.WriteLine($"speech  {start / 16000.0:0.000}-{end / 16000.0:0.000} s");
        }

        Assert.Equal(_corpus.TrueSpeech.Length, segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var (trueStart, trueEnd) = _corpus.TrueSpeech[i];
            Assert.InRange(segments[i].Start.TotalSeconds, (trueStart / 16000.0) - ToleranceSeconds, (trueStart / 16000.0) + ToleranceSeconds);
            Assert.InRange(segments[i].End.TotalSeconds, (trueEnd / 16000.0) - ToleranceSeconds, (trueEnd / 16000.0) + ToleranceSeconds);
        }
    }

    private (List<SpeechSegment> Segments, List<long> Starts, long TotalSamples) Detect(float[] audio)
    {
        var detector = new SpeechDetector(_model.Model, _model.Options);
        var starts = new List<long>();
        detector.SpeechStarted += (_, e) => starts.Add(e.SpeechStartSample);
        var segments = new List<SpeechSegment>();
        for (var offset = 0; offset < audio.Length; offset += ChunkSamples)
        {
            detector.Process(audio.AsSpan(offset, Math.Min(ChunkSamples, audio.Length - offset)), segments);
        }

        if (detector.Complete() is { } last)
        {
            segments.Add(last);
        }

        return (segments, starts, detector.TotalSamples);
    }

    private List<float> Probabilities(float[] audio)
    {
        var results = new List<VadWindowResult>();
        new VadStream(_model.Model).Process(audio, results);
        return results.Select(r => r.Probability).ToList();
    }
}
