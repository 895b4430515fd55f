using System.ClientModel;
using OpenAI;
using OpenAI.Audio;
using StepAudio.Telephony.Inference.Audio;
using StepAudio.Telephony.Inference.Resampling;

namespace StepAudio.Telephony.Inference.Synthesis;

/// <summary>
/// Text to telephone audio through the OpenAI SDK's audio client against any OpenAI-compatible
/// <c>/v1/audio/speech</c>: asks for WAV (<c>response_format: wav</c>), whatever its rate, and brings it to 8 kHz
/// 16-bit mono, the form every prompt of the gateway has.
/// </summary>
public sealed class OpenAiSpeechSynthesizer
{
    private const int TelephoneRate = 8_000;
    private readonly AudioClient _client;
    private readonly SpeechEndpointOptions _options;

    /// <summary>Creates the synthesizer; nothing is sent until the first prompt.</summary>
    public OpenAiSpeechSynthesizer(SpeechEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = OpenAiAudioClientFactory.Create("SpeechEndpoint:BaseUrl", options.BaseUrl, options.Model, options.ApiKey, options.Timeout);
        _options = options;
    }

    /// <summary>
    /// Renders <paramref name="text"/> as 8 kHz 16-bit mono PCM in <paramref name="voice"/> (null: the configured one).
    /// Throws <see cref="SpeechEndpointException"/> when the endpoint fails, times out or returns no usable WAV.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<short>> SynthesizeAsync(string text, string? voice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        BinaryData audio;
        try
        {
            var response = await _client.GenerateSpeechAsync(
                text,
                new GeneratedSpeechVoice(string.IsNullOrWhiteSpace(voice) ? _options.Voice : voice),
                new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav },
                timeout.Token);
            audio = response.Value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new SpeechEndpointException($"the speech endpoint at {_options.BaseUrl} did not answer within {_options.Timeout.TotalSeconds:0.###} s", ex);
        }
        catch (ClientResultException ex)
        {
            throw new SpeechEndpointException($"the speech endpoint at {_options.BaseUrl} answered HTTP {ex.Status}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new SpeechEndpointException($"the speech endpoint at {_options.BaseUrl} failed: {ex.HttpRequestError}", ex);
        }

        return ToTelephone(audio.ToMemory().Span);
    }

    /// <summary>Brings a WAV file of any supported format and rate to 8 kHz 16-bit mono.</summary>
    public static short[] ToTelephone(ReadOnlySpan<byte> wav)
    {
        float[] samples;
        int rate;
        try
        {
            (samples, rate) = WavCodec.Decode(wav);
        }
        catch (InvalidDataException ex)
        {
            throw new SpeechEndpointException($"the speech endpoint returned no usable WAV: {ex.Message}", ex);
        }

        var telephone = WdlClipResampler.Resample(samples, rate, TelephoneRate);
        if (telephone.Length == 0)
        {
            throw new SpeechEndpointException("the speech endpoint returned no audio");
        }

        var pcm = new short[telephone.Length];
        PcmConversion.ToPcm16(telephone, pcm);
        return pcm;
    }
}
