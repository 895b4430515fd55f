using StepAudio.Telephony.Inference.Paralinguistics;
using StepAudio.Telephony.Inference.Paralinguistics.Features;
using StepAudio.Telephony.Inference.Paralinguistics.VocalEvents;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics.VocalEvents;

public sealed class AcousticVocalEventDetectorTests(ParalinguisticCorpus corpus) : IClassFixture<ParalinguisticCorpus>
{
    private static readonly TimeSpan CallOffset = TimeSpan.FromSeconds(42);

    private readonly AcousticFeatureExtractor _extractor = new();
    private readonly AcousticVocalEventDetector _detector = new();

    [Theory]
    [InlineData("sigh", VocalEventKind.Sigh, 1.2)]
    [InlineData("laugh", VocalEventKind.Laugh, 0.9)]
    [InlineData("gasp", VocalEventKind.Gasp, 0.3)]
    [InlineData("cough", VocalEventKind.Cough, 0.25)]
    [InlineData("throat-clear", VocalEventKind.ThroatClear, 0.4)]
    [InlineData("crying", VocalEventKind.Crying, 1.8)]
    public void Synthesised_sound_is_found_once_with_its_kind_place_and_length(string recipe, VocalEventKind kind, double seconds)
    {
        var pcm = corpus.Vocal(recipe);

        var events = _detector.Detect(pcm, CallOffset, _extractor.Extract(pcm));

        var found = Assert.Single(events);
        Assert.Equal(kind, found.Kind);

        // The sound starts 0.5 s into the clip; frames are 32 ms wide, so edges are known to about ±40 ms.
        var expectedStart = CallOffset + TimeSpan.FromSeconds(SoundRecipes.Padding);
        Assert.InRange(found.Start, expectedStart - TimeSpan.FromMilliseconds(40), expectedStart + TimeSpan.FromMilliseconds(40));
        Assert.InRange(found.Duration.TotalSeconds, seconds * 0.8, (seconds * 1.1) + 0.05);
        Assert.InRange(found.Confidence, 0.5, 1);
    }

    [Fact]
    public void Two_coughs_in_a_row_are_two_coughs()
    {
        var cough = corpus.Vocal("cough");
        float[] twice = [.. cough, .. cough];

        var events = _detector.Detect(twice, TimeSpan.Zero, _extractor.Extract(twice));

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(VocalEventKind.Cough, e.Kind));
        Assert.True(events[1].Start > events[0].Start + events[0].Duration);
    }

    [Fact]
    public void Sigh_between_two_sentences_is_localised_inside_the_span()
    {
        var speech = corpus.Speech();
        var sigh = corpus.Vocal("sigh");
        float[] span = [.. speech, .. sigh, .. speech];

        var events = _detector.Detect(span, CallOffset, _extractor.Extract(span));

        var found = Assert.Single(events);
        Assert.Equal(VocalEventKind.Sigh, found.Kind);
        var expectedStart = CallOffset + TimeSpan.FromSeconds((speech.Length / 16_000.0) + SoundRecipes.Padding);
        Assert.InRange(found.Start, expectedStart - TimeSpan.FromMilliseconds(40), expectedStart + TimeSpan.FromMilliseconds(40));
    }

    public static TheoryData<string> NonEvents => ["speech", "fast speech", "high speech", "slow quiet speech", "agitated speech", "high female voice", "silence", "tone 150", "tone 1000", "white noise", "brown noise"];

    [Theory]
    [MemberData(nameof(NonEvents))]
    public void Speech_silence_tones_and_steady_noise_give_no_events(string name)
    {
        var pcm = name switch
        {
            "speech" => corpus.Speech(),
            "fast speech" => corpus.Speech("-s", "250"),
            "high speech" => corpus.Speech("-p", "80"),
            "slow quiet speech" => corpus.Speech("-p", "15", "-s", "110", "-a", "40"),
            "agitated speech" => corpus.Speech("-p", "70", "-s", "220", "-a", "200"),
            "high female voice" => corpus.Speech("-v", "en+f4", "-p", "99"),
            "silence" => corpus.Synth("silence", "trim", "0", "2"),
            "tone 150" => corpus.Synth("sine150", "synth", "1", "sine", "150", "vol", "0.5"),
            "tone 1000" => corpus.Synth("sine1000", "synth", "2", "sine", "1000", "vol", "0.5"),
            "white noise" => corpus.Synth("white", "synth", "2", "whitenoise", "vol", "0.3"),
            "brown noise" => corpus.Synth("brown", "synth", "2", "brownnoise", "vol", "0.3"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var events = _detector.Detect(pcm, TimeSpan.Zero, _extractor.Extract(pcm));

        Assert.True(events.Count == 0, $"{name}: {string.Join(", ", events)}");
    }
}
