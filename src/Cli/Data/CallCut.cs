using Microsoft.Extensions.Options;
using StepAudio.Telephony.Inference.Turns;
using StepAudio.Telephony.Inference.Vad;

namespace StepAudio.Telephony.Cli.Data;

/// <summary>
/// The part of a recording that comes in whole the analysis hears, as a call would hand it over: speech from the start
/// of the first segment the call's VAD finds to the end of the last (<see cref="SpeechExtent"/>), a non-speech sound
/// where a call's span finder cuts one (<see cref="SoundExtent"/>), without the room tone a recording keeps either
/// side. <c>eval</c> and <c>train</c> both take clips through here, so a model is measured on what it was trained on.
/// </summary>
public sealed class CallCut : IDisposable
{
    private readonly Func<ISpeechDetector> _newDetector;
    private readonly Lazy<SileroVadModel>? _model;

    /// <summary>Cuts speech with detectors from <paramref name="newDetector"/> (a fresh one per clip, a call's settings).</summary>
    public CallCut(Func<ISpeechDetector> newDetector)
    {
        ArgumentNullException.ThrowIfNull(newDetector);
        _newDetector = newDetector;
    }

    private CallCut(string modelPath)
    {
        var options = new VadOptions { ModelPath = modelPath };
        _model = new Lazy<SileroVadModel>(() => LoadModel(options));
        _newDetector = () => new SpeechDetector(_model.Value, options);
    }

    /// <summary>
    /// Cuts speech as a call's <see cref="SpeechDetector"/> with the default settings would, on the Silero model at
    /// <paramref name="modelPath"/>, loaded at the first speech clip (a set of vocal events alone never needs it).
    /// </summary>
    public static CallCut WithModelAt(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return new CallCut(modelPath);
    }

    /// <summary>What the analysis hears of <paramref name="audio"/> (mono, 16 kHz).</summary>
    /// <param name="audio">The whole recording.</param>
    /// <param name="speech">Speech (an emotion clip), else a non-speech sound.</param>
    /// <exception cref="FileNotFoundException">Speech, and the detector's model is missing (the message says how to fetch it).</exception>
    public ReadOnlySpan<float> Hear(float[] audio, bool speech)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (!speech)
        {
            var (start, length) = SoundExtent.Find(audio);
            return audio.AsSpan(start, length);
        }

        using var detector = _newDetector();
        var (speechStart, speechLength) = SpeechExtent.Find(audio, detector);
        return audio.AsSpan(speechStart, speechLength);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_model is { IsValueCreated: true })
        {
            _model.Value.Dispose();
        }
    }

    private static SileroVadModel LoadModel(VadOptions options)
    {
        if (!File.Exists(options.ModelPath))
        {
            throw new FileNotFoundException(
                $"The speech detector's model is not at '{options.ModelPath}' (speech is cut where a call's VAD would cut it). Fetch it "
                + "with 'bash scripts/fetch-vad-model.sh', or name it with --vad-model or STEPAUDIO_VAD_MODEL.", options.ModelPath);
        }

        return new SileroVadModel(Options.Create(options));
    }
}
