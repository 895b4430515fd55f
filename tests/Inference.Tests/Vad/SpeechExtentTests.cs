using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Inference.Tests.Vad;

/// <summary>The speech of a recording handed over whole, as a call's detector finds it (eval and train cut clips so).</summary>
public sealed class SpeechExtentTests : IClassFixture<VadModelFixture>, IClassFixture<SpeechCorpusFixture>
{
    private const int Tolerance = SpeechCorpusFixture.SampleRate / 4;

    private readonly VadModelFixture _model;
    private readonly SpeechCorpusFixture _corpus;

    public SpeechExtentTests(VadModelFixture model, SpeechCorpusFixture corpus)
    {
        _model = model;
        _corpus = corpus;
    }

    [Fact]
    public void Two_utterances_with_room_either_side_are_cut_from_the_first_word_to_the_last_with_the_pause_kept()
    {
        using var detector = new SpeechDetector(_model.Model, _model.Options);

        var (start, length) = SpeechExtent.Find(_corpus.Clean, detector);

        Assert.InRange(start, _corpus.TrueSpeech[0].Start - Tolerance, _corpus.TrueSpeech[0].Start + Tolerance);
        Assert.InRange(start + length, _corpus.TrueSpeech[^1].End - Tolerance, _corpus.TrueSpeech[^1].End + Tolerance);
    }

    [Fact]
    public void A_clip_that_starts_on_its_first_word_keeps_it()
    {
        using var detector = new SpeechDetector(_model.Model, _model.Options);

        var (start, length) = SpeechExtent.Find(_corpus.Utterance, detector);

        Assert.InRange(start, 0, Tolerance);
        Assert.InRange(length, _corpus.Utterance.Length - (2 * Tolerance), _corpus.Utterance.Length);
    }

    [Fact]
    public void A_clip_with_no_speech_is_kept_whole()
    {
        using var detector = new SpeechDetector(_model.Model, _model.Options);

        Assert.Equal((0, _corpus.Silence.Length), SpeechExtent.Find(_corpus.Silence, detector));
    }
}
