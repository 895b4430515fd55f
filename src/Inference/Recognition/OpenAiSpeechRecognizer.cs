using System.ClientModel;
using OpenAI;
using OpenAI.Audio;
using StepAudio.Telephony.Inference.Audio;

namespace StepAudio.Telephony.Inference.Recognition;

/// <summary>
/// The OpenAI SDK's audio client against any OpenAI-compatible <c>/v1/audio/transcriptions</c>: the turn goes out as a
/// 16 kHz WAV file in a multipart form (<c>file</c>, <c>model</c>, <c>response_format</c>, <c>language</c>).
/// </summary>
public sealed class OpenAiSpeechRecognizer : ISpeechRecognizer
{
    private const int SampleRate = 16_000;
    private readonly AudioClient _client;
    private readonly RecognitionOptions _options;

    /// <summary>Creates the recogniser; nothing is sent until the first turn.</summary>
    public OpenAiSpeechRecognizer(RecognitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = OpenAiAudioClientFactory.Create("Recognition:BaseUrl", options.BaseUrl, options.Model, options.ApiKey, options.Timeout);
        _options = options;
    }

    /// <inheritdoc />
    public async ValueTask<RecognitionResult> RecognizeAsync(ReadOnlyMemory<float> pcm16k, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var wav = new MemoryStream(WavCodec.Encode(pcm16k.Span, SampleRate), writable: false);
        var request = new AudioTranscriptionOptions
        {
            ResponseFormat = _options.Verbose ? AudioTranscriptionFormat.Verbose : AudioTranscriptionFormat.Simple,
            Language = _options.Language,
        };
        try
        {
            var response = await _client.TranscribeAudioAsync(wav, "turn.wav", request, timeout.Token);
            return FromTranscription(response.Value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new SpeechRecognitionException($"the recogniser at {_options.BaseUrl} did not answer within {_options.Timeout.TotalSeconds:0.###} s", ex);
        }
        catch (ClientResultException ex)
        {
            throw new SpeechRecognitionException($"the recogniser at {_options.BaseUrl} answered HTTP {ex.Status}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new SpeechRecognitionException($"the recogniser at {_options.BaseUrl} failed: {ex.GetType().Name}", ex);
        }
    }

    /// <summary>Text, confidence and language of a transcription.</summary>
    internal static RecognitionResult FromTranscription(AudioTranscription transcription)
    {
        double? confidence = null;
        double weight = 0, sum = 0;
        foreach (var segment in transcription.Segments ?? [])
        {
            // Short segments count less; a zero-length one still counts a little so it is not lost.
            var duration = Math.Max(0.01, (segment.EndTime - segment.StartTime).TotalSeconds);
            var probability = Math.Exp(Math.Min(0, segment.AverageLogProbability)) * (1 - Math.Clamp(segment.NoSpeechProbability, 0, 1));
            if (double.IsFinite(probability))
            {
                sum += probability * duration;
                weight += duration;
            }
        }

        if (weight > 0)
        {
            confidence = Math.Round(Math.Clamp(sum / weight, 0, 1), 3);
        }

        return new RecognitionResult((transcription.Text ?? string.Empty).Trim(), confidence, transcription.Language);
    }
}
