using Microsoft.AspNetCore.Http;
using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Recognition;
using StepAudio.Telephony.Testing.ModelServers;

namespace StepAudio.Telephony.Inference.Tests.Recognition;

/// <summary>The recogniser against a loopback server speaking OpenAI's <c>/v1/audio/transcriptions</c>.</summary>
public sealed class OpenAiSpeechRecognizerTests
{
    private static readonly float[] Turn = [.. Enumerable.Range(0, 8000).Select(i => (float)Math.Sin(i * 0.1) * 0.3f)];

    private const string Verbose = """
        {"task":"transcribe","language":"english","duration":2.0,"text":" I want to pay my bill. ",
         "segments":[
           {"id":0,"seek":0,"start":0.0,"end":1.5,"text":" I want to pay","tokens":[1,2],"temperature":0.0,"avg_logprob":-0.1,"compression_ratio":1.2,"no_speech_prob":0.0},
           {"id":1,"seek":0,"start":1.5,"end":2.0,"text":" my bill.","tokens":[3],"temperature":0.0,"avg_logprob":-1.0,"compression_ratio":1.2,"no_speech_prob":0.0}]}
        """;

    private static async Task Json(HttpContext context, string body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task The_turn_goes_out_as_a_16_khz_wav_form_and_verbose_json_gives_words_and_a_confidence()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => Json(context, Verbose);
        var recognizer = new OpenAiSpeechRecognizer(new RecognitionOptions { BaseUrl = server.BaseUrl, Model = "faster-whisper-small", ApiKey = "sk-asr", Language = "en" });

        var result = await recognizer.RecognizeAsync(Turn, CancellationToken.None);

        Assert.Equal("I want to pay my bill.", result.Text);
        Assert.Equal("english", result.Language);

        // Duration-weighted mean of exp(avg_logprob): (1.5·e^-0.1 + 0.5·e^-1) / 2.
        Assert.Equal(Math.Round(((1.5 * Math.Exp(-0.1)) + (0.5 * Math.Exp(-1))) / 2, 3), result.Confidence);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/audio/transcriptions", request.Path);
        Assert.Equal("Bearer sk-asr", request.Authorization);
        Assert.Equal("faster-whisper-small", request.Form["model"]);
        Assert.Equal("verbose_json", request.Form["response_format"]);
        Assert.Equal("en", request.Form["language"]);
        var (samples, rate) = WavCodec.Decode(request.Files["file"]);
        Assert.Equal(16_000, rate);
        Assert.Equal(Turn.Length, samples.Length);
    }

    [Fact]
    public async Task Plain_json_gives_words_without_a_confidence()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => Json(context, """{"text":"billing please"}""");
        var recognizer = new OpenAiSpeechRecognizer(new RecognitionOptions { BaseUrl = server.BaseUrl, Verbose = false });

        var result = await recognizer.RecognizeAsync(Turn, CancellationToken.None);

        Assert.Equal(new RecognitionResult("billing please", null, null), result);
        Assert.Equal("json", Assert.Single(server.Requests).Form["response_format"]);
    }

    [Fact]
    public async Task A_server_error_is_a_recognition_exception_that_names_the_status()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, _) => LoopbackModelServer.ErrorAsync(context, 503);
        var recognizer = new OpenAiSpeechRecognizer(new RecognitionOptions { BaseUrl = server.BaseUrl });

        var failure = await Assert.ThrowsAsync<SpeechRecognitionException>(() => recognizer.RecognizeAsync(Turn, CancellationToken.None).AsTask());
        Assert.Contains("HTTP 503", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_and_malformed_json_fails_cleanly()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Handler = (context, _, number) => number == 1
            ? Task.Delay(Timeout.Infinite, context.RequestAborted)
            : Json(context, "{\"text\": ");
        var recognizer = new OpenAiSpeechRecognizer(new RecognitionOptions { BaseUrl = server.BaseUrl, Timeout = TimeSpan.FromMilliseconds(300) });

        var timeout = await Assert.ThrowsAsync<SpeechRecognitionException>(() => recognizer.RecognizeAsync(Turn, CancellationToken.None).AsTask());
        Assert.Contains("did not answer within 0.3 s", timeout.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<SpeechRecognitionException>(() => recognizer.RecognizeAsync(Turn, CancellationToken.None).AsTask());
    }
}
