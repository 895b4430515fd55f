using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallFlow.Tests.Speech;

/// <summary>The voices a flow may name, from espeak-ng's own listing.</summary>
public sealed class EspeakVoiceCatalogTests
{
    private const string Voices = """
        Pty Language       Age/Gender VoiceName          File                 Other Languages
         5  de              --/M      German             gmw/de
         2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
         5  es-419          --/M      Spanish_(Latin_America) roa/es-419           (es-mx 6)(es 6)
        """;

    private const string Variants = """
        Pty Language       Age/Gender VoiceName          File                 Other Languages
         5  variant         --/F      female3            !v/f3
         5  variant         --/M      Klatt              !v/klatt
        """;

    private static readonly EspeakVoiceCatalog Catalog = new(Voices, Variants);

    [Fact]
    public void The_listing_is_parsed_into_voices_and_variants()
    {
        Assert.Equal(["de", "en-us", "es-419"], Catalog.Voices.Select(v => v.Language));
        Assert.Equal(("English_(America)", "M", "gmw/en-US", "en"), (Catalog.Voices[1].Name, Catalog.Voices[1].Gender, Catalog.Voices[1].File, Catalog.Voices[1].OtherLanguages[0]));
        Assert.Equal(["es-mx", "es"], Catalog.Voices[2].OtherLanguages);
        Assert.Equal(["f3", "klatt"], Catalog.Variants);
    }

    [Theory]
    [InlineData("en-us")]
    [InlineData("EN-US")]
    [InlineData("en")]
    [InlineData("es-mx")]
    [InlineData("gmw/de")]
    [InlineData("en-us+f3")]
    [InlineData("de+klatt")]
    public void Names_espeak_ng_accepts_pass(string voice) => Assert.Null(Catalog.Check(voice));

    [Fact]
    public void An_unknown_voice_gets_a_suggestion_and_the_command_that_lists_them() =>
        Assert.Equal("espeak-ng has no voice 'en-uss' (did you mean 'en-us'?); `stepaudio voices` lists them", Catalog.Check("en-uss"));

    [Fact]
    public void An_unknown_variant_is_an_error_because_espeak_ng_would_ignore_it_silently() =>
        Assert.Contains("no variant 'f9' (did you mean 'f3'?)", Catalog.Check("en-us+f9"), StringComparison.Ordinal);

    [Fact]
    public async Task The_installed_espeak_ng_lists_english_and_rejects_a_made_up_voice()
    {
        var installed = await EspeakVoiceCatalog.LoadAsync("espeak-ng", default);

        Assert.Contains(installed.Voices, v => v.Language == "en-us");
        Assert.Null(installed.Check("en-gb"));
        Assert.NotNull(installed.Check("xx-nowhere"));
        Assert.Same(installed, await EspeakVoiceCatalog.LoadAsync("espeak-ng", default));
    }

    [Fact]
    public async Task A_missing_espeak_ng_is_a_clear_error()
    {
        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => EspeakVoiceCatalog.LoadAsync("/nonexistent/espeak-ng", default));

        Assert.Contains("could not be started", error.Message, StringComparison.Ordinal);
    }
}
