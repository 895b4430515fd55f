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
    private readonly VadOptions _options;
    private readonly Lazy<SileroVadModel> _model;

    private CallCut(VadOptions options)
    {
        _options = options;
        _model = new Lazy<SileroVadModel>(() => new SileroVadModel(Options.Create(_options)));
    }

    /// <summary>
    /// Cuts speech as a call's <see cref="SpeechDetector"/> with the default settings would, on the Silero model at
    /// <paramref name="modelPath"/>, loaded at the first speech clip (a set of vocal events alone never needs it).
    /// </summary>
    public static CallCut WithModelAt(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return new CallCut(new VadOptions { ModelPath = modelPath });
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

        // A fresh detector per clip: each recording is its own stream, as each call is.
        using var detector = new SpeechDetector(_model.Value, _options);
        var (speechStart, speechLength) = SpeechExtent.Find(audio, detector);
        return audio.AsSpan(speechStart, speechLength);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }
}
