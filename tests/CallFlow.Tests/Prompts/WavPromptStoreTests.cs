using System.Globalization;
using StepAudio.Telephony.CallFlow.Prompts;

namespace StepAudio.Telephony.CallFlow.Tests.Prompts;

/// <summary>Prompt files written by sox in the formats telephony prompts are usually delivered in.</summary>
public sealed class WavPromptStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(8000, 1, "signed-integer", 16)]
    [InlineData(16000, 1, "signed-integer", 16)]
    [InlineData(22050, 2, "signed-integer", 16)]
    [InlineData(44100, 2, "signed-integer", 16)]
    [InlineData(48000, 1, "signed-integer", 24)]
    [InlineData(48000, 2, "floating-point", 32)]
    [InlineData(8000, 1, "u-law", 8)]
    [InlineData(8000, 1, "a-law", 8)]
    public async Task Any_common_wav_becomes_8khz_mono_of_the_same_length_and_pitch(int rate, int channels, string encoding, int bits)
    {
        MakeTone("tone.wav", rate, channels, encoding, bits, seconds: 1.5, hertz: 1000);
        var store = Store();

        var pcm = await store.GetAsync("tone.wav", CancellationToken.None);

        Assert.InRange(pcm.Length, 11_990, 12_010);
        Assert.InRange(MeasuredHertz(pcm.Span[800..^800]), 995, 1005);
        Assert.InRange(Peak(pcm.Span), 8000, 14000); // -8 dBFS sine: about 13,000; a lost channel would halve it
    }

    [Fact]
    public async Task A_missing_file_names_the_file()
    {
        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync("nothing-here.wav", CancellationToken.None).AsTask());

        Assert.Contains(_directory.File("nothing-here.wav"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_audio_names_the_file_and_the_reason()
    {
        await File.WriteAllTextAsync(_directory.File("broken.wav"), "this is not a RIFF file");

        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync("broken.wav", CancellationToken.None).AsTask());

        Assert.Contains(_directory.File("broken.wav"), error.Message, StringComparison.Ordinal);
        Assert.Contains("could not be read as audio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_may_not_leave_the_prompt_directory()
    {
        await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync("../../etc/passwd", CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_prompt_is_converted_once_and_reloaded_when_the_file_changes()
    {
        MakeTone("tone.wav", 16000, 1, "signed-integer", 16, seconds: 0.5, hertz: 500);
        var store = Store();

        var first = await store.GetAsync("tone.wav", CancellationToken.None);
        var again = await store.GetAsync("tone.wav", CancellationToken.None);
        Assert.True(first.Equals(again), "the cached samples should be handed out again");

        MakeTone("tone.wav", 16000, 1, "signed-integer", 16, seconds: 0.75, hertz: 700);
        File.SetLastWriteTimeUtc(_directory.File("tone.wav"), DateTime.UtcNow.AddMinutes(1));
        var changed = await store.GetAsync("tone.wav", CancellationToken.None);

        Assert.False(first.Equals(changed));
        Assert.InRange(changed.Length, 5990, 6010);
        Assert.InRange(MeasuredHertz(changed.Span[400..^400]), 695, 705);
        Assert.Equal(1, store.CachedPrompts);
        Assert.Equal(changed.Length * 2, store.CachedBytes);
    }

    [Fact]
    public async Task The_cache_stays_within_its_byte_budget_dropping_the_least_recently_used()
    {
        foreach (var name in new[] { "a.wav", "b.wav", "c.wav" })
        {
            MakeTone(name, 8000, 1, "signed-integer", 16, seconds: 1, hertz: 440);
        }

        // Room for two one-second prompts (16,000 bytes each), not three.
        var store = Store(cacheBytes: 40_000);
        var a = await store.GetAsync("a.wav", CancellationToken.None);
        await store.GetAsync("b.wav", CancellationToken.None);
        Assert.True(a.Equals(await store.GetAsync("a.wav", CancellationToken.None)));
        await store.GetAsync("c.wav", CancellationToken.None);

        Assert.Equal(2, store.CachedPrompts);
        Assert.True(store.CachedBytes <= 40_000);
        Assert.True(a.Equals(await store.GetAsync("a.wav", CancellationToken.None)), "a was used more recently than b");
    }

    private WavPromptStore Store(long cacheBytes = 16 * 1024 * 1024) =>
        new(new PromptOptions { Directory = _directory.Path, CacheBytes = cacheBytes });

    private void MakeTone(string name, int rate, int channels, string encoding, int bits, double seconds, int hertz)
    {
        ExternalTool.Run(
            "sox", "-n", "-r", Invariant(rate), "-c", Invariant(channels), "-e", encoding, "-b", Invariant(bits), _directory.File(name),
            "synth", Invariant(seconds), "sine", Invariant(hertz), "gain", "-8");
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Frequency from the spacing of upward zero crossings (first to last), independent of the tool under test.</summary>
    private static double MeasuredHertz(ReadOnlySpan<short> samples)
    {
        int first = -1, last = -1, count = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            if (samples[i - 1] < 0 && samples[i] >= 0)
            {
                if (first < 0)
                {
                    first = i;
                }

                last = i;
                count++;
            }
        }

        return (count - 1) * 8000.0 / (last - first);
    }

    private static int Peak(ReadOnlySpan<short> samples)
    {
        int peak = 0;
        foreach (var s in samples)
        {
            peak = Math.Max(peak, Math.Abs((int)s));
        }

        return peak;
    }
}
