using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallFlow.Tests.Speech;

public sealed class EspeakSpeechSynthesizerTests
{
    [Fact]
    public async Task Renders_audible_8khz_speech_of_plausible_length()
    {
        var tts = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions { WordsPerMinute = 160 });

        var pcm = await tts.SynthesizeAsync("Thank you for calling. How can I help you today?", null, CancellationToken.None);

        // Nine words at 160 words per minute take about 3.4 s; espeak-ng adds pauses at punctuation.
        var seconds = pcm.Length / 8000.0;
        Assert.InRange(seconds, 2.0, 6.0);
        var samples = pcm.Span;
        double sumSquares = 0;
        foreach (var s in samples)
        {
            sumSquares += (double)s * s;
        }

        var rmsDbfs = 10 * Math.Log10(sumSquares / samples.Length / (32768.0 * 32768.0));
        Assert.InRange(rmsDbfs, -40, -3);
    }

    [Fact]
    public async Task Faster_speech_is_shorter()
    {
        const string text = "Please hold while I look up your account.";
        var slow = await new EspeakSpeechSynthesizer(new SpeechSynthesisOptions { WordsPerMinute = 120 }).SynthesizeAsync(text, null, default);
        var fast = await new EspeakSpeechSynthesizer(new SpeechSynthesisOptions { WordsPerMinute = 240 }).SynthesizeAsync(text, null, default);

        Assert.True(fast.Length < slow.Length * 0.75, $"fast {fast.Length} samples, slow {slow.Length}");
    }

    [Fact]
    public async Task Same_prompt_is_rendered_once()
    {
        var tts = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions());

        var first = await tts.SynthesizeAsync("Goodbye.", null, default);
        var second = await tts.SynthesizeAsync("Goodbye.", null, default);

        Assert.True(first.Equals(second), "the second request should return the cached rendering");
    }

    [Fact]
    public async Task Text_is_never_taken_as_arguments()
    {
        var tts = new EspeakSpeechSynthesizer(new SpeechSynthesisOptions());

        var pcm = await tts.SynthesizeAsync("--version -w /tmp/owned.wav; rm -rf /", null, default);

        Assert.True(pcm.Length > 8000, "the text should have been spoken, not interpreted");
    }

    [Fact]
    public async Task Missing_engine_gives_a_clear_error_and_is_not_cached()
    {
        var options = new SpeechSynthesisOptions { EspeakPath = "/nonexistent/espeak-ng" };
        var tts = new EspeakSpeechSynthesizer(options);

        var error = await Assert.ThrowsAsync<SpeechSynthesisException>(() => tts.SynthesizeAsync("Hello", null, default).AsTask());
        Assert.Contains("/nonexistent/espeak-ng", error.Message, StringComparison.Ordinal);

        // Once the engine is there, the same prompt renders: the failure was not remembered.
        options.EspeakPath = "espeak-ng";
        var pcm = await tts.SynthesizeAsync("Hello", null, default);
        Assert.True(pcm.Length > 0);
    }
}
