using System.Text;
using StepAudio.Telephony.CallFlow.Prompts;
using StepAudio.Telephony.CallFlow.Tests.Flows.Webhooks;

namespace StepAudio.Telephony.CallFlow.Tests.Prompts;

/// <summary><c>play: https://…</c> against a real HTTP server on loopback: good, slow, huge, missing and not-audio answers.</summary>
public sealed class UrlPromptStoreTests : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server = new();
    private readonly HttpClient _http = new();
    private readonly ManualTime _time = new();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A WAV of <paramref name="seconds"/> of a 440 Hz tone at 16 kHz, as a CDN would serve it.</summary>
    private static byte[] Wav(double seconds, int rate = 16000)
    {
        var samples = (int)(seconds * rate);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (int i = 0; i < samples; i++)
        {
            writer.Write((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / rate)));
        }

        writer.Flush();
        return stream.ToArray();
    }

    private UrlPromptStore Store(PromptOptions? options = null) =>
        new(new WavPromptStore(options ?? new PromptOptions { Directory = Path.GetTempPath() }), _http, options ?? new PromptOptions(), _time);

    private string Url(string path) => new Uri(_server.Url, path).ToString();

    [Fact]
    public async Task A_wav_url_is_downloaded_converted_to_8khz_and_cached()
    {
        _server.RespondBytes = _ => new LoopbackResponse(200, Wav(1.5), "audio/wav");
        var store = Store();

        var first = await store.GetAsync(Url("/welcome.wav"), default);
        var second = await store.GetAsync(Url("/welcome.wav"), default);

        Assert.InRange(first.Length, 11_900, 12_100); // 1.5 s at 8 kHz
        Assert.Equal(first.Length, second.Length);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal("/welcome.wav", _server.Requests[0].Target);
    }

    [Fact]
    public async Task After_the_cache_time_a_fresh_copy_is_fetched_and_the_old_one_plays_meanwhile()
    {
        var version = 1;
        _server.RespondBytes = _ => new LoopbackResponse(200, Wav(version), "audio/wav");
        var store = Store();
        var first = await store.GetAsync(Url("/menu.wav"), default);
        version = 2;
        _time.Advance(new PromptOptions().UrlCacheTime + TimeSpan.FromSeconds(1));

        var stale = await store.GetAsync(Url("/menu.wav"), default);
        await WaitUntilAsync(() => _server.RequestCount == 2);
        ReadOnlyMemory<short> fresh = default;
        await WaitUntilAsync(async () => (fresh = await store.GetAsync(Url("/menu.wav"), default)).Length > first.Length);

        Assert.Equal(first.Length, stale.Length);
        Assert.InRange(fresh.Length, 15_900, 16_100);
    }

    [Fact]
    public async Task A_refresh_that_fails_keeps_the_prompt_that_worked()
    {
        var up = true;
        _server.RespondBytes = _ => up ? new LoopbackResponse(200, Wav(1), "audio/wav") : new LoopbackResponse(503, [], "text/plain");
        var store = Store();
        var first = await store.GetAsync(Url("/menu.wav"), default);
        up = false;
        _time.Advance(TimeSpan.FromHours(1));

        await store.GetAsync(Url("/menu.wav"), default);
        await WaitUntilAsync(() => _server.RequestCount == 2);

        Assert.Equal(first.Length, (await store.GetAsync(Url("/menu.wav"), default)).Length);
    }

    [Fact]
    public async Task A_404_names_the_status()
    {
        _server.RespondBytes = _ => new LoopbackResponse(404, "gone"u8.ToArray(), "text/plain");

        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync(Url("/missing.wav"), default).AsTask());

        Assert.Contains("answered HTTP 404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_page_is_not_audio()
    {
        _server.RespondBytes = _ => new LoopbackResponse(200, Encoding.UTF8.GetBytes("<html>Login</html>"), "text/html; charset=utf-8");

        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync(Url("/login"), default).AsTask());

        Assert.Contains("is not audio (Content-Type text/html)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_are_not_audio_are_refused_by_the_conversion()
    {
        _server.RespondBytes = _ => new LoopbackResponse(200, Encoding.UTF8.GetBytes("definitely not a wav file"), "application/octet-stream");

        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync(Url("/x.wav"), default).AsTask());

        Assert.Contains("could not be read as audio", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_prompt_over_the_size_bound_is_refused_with_or_without_a_content_length(bool sendLength)
    {
        _server.RespondBytes = _ => new LoopbackResponse(200, Wav(10), "audio/wav", SendLength: sendLength); // 320 kB
        var options = new PromptOptions { UrlMaxBytes = 100_000 };

        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store(options).GetAsync(Url("/huge.wav"), default).AsTask());

        Assert.Contains("larger than the limit of 100000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_fails_the_prompt()
    {
        _server.RespondBytes = _ => new LoopbackResponse(200, Wav(1), "audio/wav", Delay: TimeSpan.FromMinutes(5));
        var options = new PromptOptions { UrlTimeout = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => new UrlPromptStore(new WavPromptStore(options), _http, options, TimeProvider.System)
            .GetAsync(Url("/slow.wav"), default).AsTask());

        Assert.Contains("was not downloaded within 0.3s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_that_are_not_urls_go_to_the_prompt_directory_and_other_schemes_are_refused()
    {
        var error = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync("no-such-prompt.wav", default).AsTask());
        var scheme = await Assert.ThrowsAsync<PromptUnavailableException>(() => Store().GetAsync("ftp://example.com/a.wav", default).AsTask());

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("only http:// and https://", scheme.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount);
    }

    private static async Task WaitUntilAsync(Func<bool> condition) => await WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>A clock the test moves; timers are the system's (the download time limit is not under test here).</summary>
    private sealed class ManualTime : TimeProvider
    {
        private TimeSpan _offset;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

        public void Advance(TimeSpan by) => _offset += by;
    }
}
