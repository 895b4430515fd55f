using StepAudio.Telephony.CallFlow.Flows.Loading;
using StepAudio.Telephony.CallFlow.Speech;
using StepAudio.Telephony.CallFlow.Speech.Ssml;

namespace StepAudio.Telephony.CallFlow.Tests.Speech.Ssml;

/// <summary>The SSML subset: checked when the flow loads, spelled out for espeak-ng, rendered rather than read aloud.</summary>
public sealed class SsmlTextTests
{
    [Theory]
    [InlineData("<speak>Your code is <say-as interpret-as=\"digits\">4711</say-as>.</speak>", "<speak>Your code is 4 7 1 1.</speak>")]
    [InlineData("<speak><say-as interpret-as=\"telephone\">+1 (555) 010-0123</say-as></speak>", "<speak>plus 1, 5 5 5, 0 1 0, 0 1 2 3</speak>")]
    [InlineData("<speak><say-as interpret-as=\"date\">2026-12-06</say-as></speak>", "<speak>December 6th, 2026</speak>")]
    [InlineData("<speak><say-as interpret-as=\"date\" format=\"dmy\">21/03/2027</say-as></speak>", "<speak>March 21st, 2027</speak>")]
    [InlineData("<speak>Hello <break time=\"1.5s\"/>world</speak>", "<speak>Hello <break time=\"1500ms\"/>world</speak>")]
    [InlineData("<speak><prosody rate=\"slow\">Tom &amp; Jerry</prosody></speak>", "<speak><prosody rate=\"slow\">Tom &amp; Jerry</prosody></speak>")]
    [InlineData("<speak><say-as interpret-as=\"characters\">AB12</say-as></speak>", "<speak><say-as interpret-as=\"characters\">AB12</say-as></speak>")]
    public void The_subset_becomes_what_espeak_ng_reads(string ssml, string espeak) =>
        Assert.Equal(espeak, SsmlText.ToEspeak(ssml));

    [Theory]
    [InlineData("<speak>Hi <emphasis>there</emphasis></speak>", "<emphasis> is not supported")]
    [InlineData("<speak>Hi <break time=\"soon\"/></speak>", "expected a time such as 500ms")]
    [InlineData("<speak><say-as interpret-as=\"money\">5</say-as></speak>", "expected one of digits")]
    [InlineData("<speak><prosody pitch=\"high\">x</prosody></speak>", "only rate is supported")]
    [InlineData("<speak>Tom & Jerry</speak>", "not well-formed")]
    [InlineData("<speak>Hi", "not well-formed")]
    public void Mistakes_are_found_before_a_caller_hears_them(string ssml, string message) =>
        Assert.Contains(message, SsmlText.Check(ssml), StringComparison.Ordinal);

    [Fact]
    public void Validate_reports_bad_ssml_at_the_say_step()
    {
        var result = FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    say: '<speak>Hi <emph>x</emph></speak>'\n", "f.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("steps.a.say", 5), (error.Field, error.Line));
        Assert.Contains("<emph> is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_values_in_ssml_pass_validation_and_text_with_a_lone_angle_bracket_stays_plain()
    {
        Assert.True(FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    say: '<speak>Order <say-as interpret-as=\"digits\">{{ vars.n }}</say-as></speak>'\n", "f.yaml").IsValid);
        Assert.True(FlowLoader.LoadText("flow: x\nstart: a\nsteps:\n  a:\n    say: 'Press 1 if the amount is < 5 dollars'\n", "f.yaml").IsValid);
        Assert.False(SsmlText.IsSsml("Press 1 if the amount is < 5 dollars"));
    }

    [Fact]
    public async Task Tagged_text_takes_as_long_as_the_plain_text_not_as_long_as_reading_the_tags()
    {
        var tts = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions());

        var plain = await tts.SynthesizeAsync("Hello world", null, default);
        var tagged = await tts.SynthesizeAsync("<speak><prosody rate=\"medium\">Hello world</prosody></speak>", null, default);

        // Read aloud, the tags more than double the length; rendered, they change it by a few percent at most.
        Assert.InRange(tagged.Length, plain.Length * 0.8, plain.Length * 1.25);
    }

    [Fact]
    public async Task A_break_adds_its_time_and_digits_take_longer_than_the_number()
    {
        var tts = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions());

        var plain = await tts.SynthesizeAsync("<speak>Hello world</speak>", null, default);
        var paused = await tts.SynthesizeAsync("<speak>Hello <break time=\"2s\"/> world</speak>", null, default);
        var number = await tts.SynthesizeAsync("<speak>12</speak>", null, default);
        var digits = await tts.SynthesizeAsync("<speak><say-as interpret-as=\"digits\">12</say-as></speak>", null, default);

        Assert.InRange(paused.Length - plain.Length, 8000 * 1.7, 8000 * 2.4);
        Assert.True(digits.Length > number.Length, $"'one two' {digits.Length} samples, 'twelve' {number.Length}");
    }
}
