using StepAudio.Telephony.CallFlow.Speech;

namespace StepAudio.Telephony.CallFlow.Tests.Speech;

/// <summary>
/// The cache key is text and voice: espeak-ng runs through a wrapper script that logs each invocation's voice,
/// so the tests count real renderings instead of inferring them.
/// </summary>
public sealed class EspeakSpeechSynthesizerCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("stepaudio-tts-cache-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Each_voice_is_rendered_once_and_cached_apart()
    {
        var (tts, log) = CountingSynthesizer();

        var us1 = await tts.SynthesizeAsync("Your call is important to us.", "en-us", default);
        var gb1 = await tts.SynthesizeAsync("Your call is important to us.", "en-gb", default);
        var us2 = await tts.SynthesizeAsync("Your call is important to us.", "en-us", default);
        var gb2 = await tts.SynthesizeAsync("Your call is important to us.", "en-gb", default);

        Assert.Equal(["en-us", "en-gb"], Renderings(log));
        Assert.True(us1.Equals(us2), "the second en-us request should get the cached rendering");
        Assert.True(gb1.Equals(gb2), "the second en-gb request should get the cached rendering");
        Assert.False(us1.Equals(gb1), "the en-gb request must not get the en-us rendering");
        Assert.False(us1.Span.SequenceEqual(gb1.Span), "two voices should sound different");
    }

    [Fact]
    public async Task No_voice_shares_the_entry_of_the_configured_default()
    {
        var (tts, log) = CountingSynthesizer();

        var byDefault = await tts.SynthesizeAsync("Goodbye.", null, default);
        var named = await tts.SynthesizeAsync("Goodbye.", "en-us", default);

        Assert.Equal(["en-us"], Renderings(log));
        Assert.True(byDefault.Equals(named));
    }

    private (EspeakSpeechSynthesizer Tts, string Log) CountingSynthesizer()
    {
        var log = Path.Combine(_directory, "renders.log");
        var wrapper = Path.Combine(_directory, "espeak-ng");
        // Arguments are "-v VOICE ...": record the voice, then let the real engine do the work (stdin passes through).
        File.WriteAllText(wrapper, $"#!/bin/sh\necho \"$2\" >> '{log}'\nexec espeak-ng \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return (new EspeakSpeechSynthesizer(new SpeechSynthesisOptions { EspeakPath = wrapper, Voice = "en-us" }), log);
    }

    private static string[] Renderings(string log) => File.Exists(log) ? File.ReadAllLines(log) : [];
}
