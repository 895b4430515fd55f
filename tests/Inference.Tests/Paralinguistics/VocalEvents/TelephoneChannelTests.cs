using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.VocalEvents;

/// <summary>The same sounds after 300–3400 Hz, 8 kHz µ-law: what the gateway actually hears from a caller.</summary>
public sealed class TelephoneChannelTests(ParalinguisticCorpus corpus) : IClassFixture<ParalinguisticCorpus>
{
    private readonly AcousticFeatureExtractor _extractor = new();
    private readonly AcousticVocalEventDetector _detector = new();

    [Theory]
    [InlineData("sigh", VocalEventKind.Sigh)]
    [InlineData("laugh", VocalEventKind.Laugh)]
    [InlineData("gasp", VocalEventKind.Gasp)]
    [InlineData("cough", VocalEventKind.Cough)]
    [InlineData("throat-clear", VocalEventKind.ThroatClear)]
    [InlineData("crying", VocalEventKind.Crying)]
    public void Vocal_sound_keeps_its_kind_through_the_telephone_channel(string recipe, VocalEventKind kind)
    {
        var pcm = corpus.TelephoneVocal(recipe);

        var events = _detector.Detect(pcm, TimeSpan.Zero, _extractor.Extract(pcm));

        Assert.Equal([kind], events.Select(e => e.Kind));
    }

    [Fact]
    public void Telephone_speech_gives_no_events_and_keeps_its_pitch_order()
    {
        var low = corpus.TelephoneSpeech("-p", "20");
        var high = corpus.TelephoneSpeech("-p", "80");
        var lowFeatures = _extractor.Extract(low);
        var highFeatures = _extractor.Extract(high);

        Assert.Empty(_detector.Detect(low, TimeSpan.Zero, lowFeatures));
        Assert.Empty(_detector.Detect(high, TimeSpan.Zero, highFeatures));

        // The fundamental of the -p 20 voice (~80 Hz) is removed by the 300 Hz high-pass; YIN still finds the period.
        Assert.True(highFeatures.PitchMeanHz > lowFeatures.PitchMeanHz * 1.3, $"{highFeatures.PitchMeanHz:F0} vs {lowFeatures.PitchMeanHz:F0} Hz");
    }
}
