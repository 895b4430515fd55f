using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Synthesis;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Inference.Tests.Synthesis;

/// <summary>The speech client against a loopback server speaking OpenAI's <c>/v1/audio/speech</c>.</summary>
public sealed class OpenAiSpeechSynthesizerTests
{
    private static byte[] ToneWav(int rate, double seconds) =>
        WavCodec.Encode([.. Enumerable.Range(0, (int)(rate * seconds)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / rate)))], rate);

    [Fact]
    public async Task The_text_goes_out_as_documented_and_24_khz_wav_comes_back_at_8_khz()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = async (context, _, _) =>
        {
            context.Response.ContentType = "audio/wav";
            await context.Response.Body.WriteAsync(ToneWav(24_000, 0.5));
        };
        var synthesizer = new OpenAiSpeechSynthesizer(new SpeechEndpointOptions { BaseUrl = server.BaseUrl, Model = "kokoro", Voice = "af_heart", ApiKey = "sk-tts" });

        var pcm = await synthesizer.SynthesizeAsync("One moment, please.", null, CancellationToken.None);

        Assert.Equal(4_000, pcm.Length);
        Assert.InRange(pcm.Span.ToArray().Max(s => (int)s), 15_000, 17_000);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/audio/speech", request.Path);
        Assert.Equal("Bearer sk-tts", request.Authorization);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("kokoro", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("One moment, please.", body.RootElement.GetProperty("input").GetString());
        Assert.Equal("af_heart", body.RootElement.GetProperty("voice").GetString());
        Assert.Equal("wav", body.RootElement.GetProperty("response_format").GetString());
    }

    [Fact]
    public async Task An_answer_that_is_not_wav_or_an_error_status_fails_with_a_clear_message()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, number) => number == 1
            ? context.Response.WriteAsync("<html>proxy error</html>")
            : LoopbackModelServer.ErrorAsync(context, 500);
        var synthesizer = new OpenAiSpeechSynthesizer(new SpeechEndpointOptions { BaseUrl = server.BaseUrl });

        var garbage = await Assert.ThrowsAsync<SpeechEndpointException>(() => synthesizer.SynthesizeAsync("Hi.", "alloy", CancellationToken.None).AsTask());
        Assert.Contains("no usable WAV", garbage.Message, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<SpeechEndpointException>(() => synthesizer.SynthesizeAsync("Hi.", "alloy", CancellationToken.None).AsTask());
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
    }
}
