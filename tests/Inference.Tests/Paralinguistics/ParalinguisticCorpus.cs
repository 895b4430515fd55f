namespace StepAudio.Telephony.Inference.Tests.Paralinguistics;

/// <summary>
/// The clips every paralinguistics test reads, made once per test run with espeak-ng and sox (see
/// <see cref="SoundRecipes"/>). Speech renditions use one sentence, so only the voice settings differ.
/// </summary>
public sealed class ParalinguisticCorpus : IDisposable
{
    public const string Sentence = "I have been waiting for my order for three weeks and nobody has called me back";

    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, float[]> _clips = [];
    private readonly Lock _gate = new();

    /// <summary>A vocal sound from <see cref="SoundRecipes.VocalSounds"/>, padded with 0.5 s of silence.</summary>
    public float[] Vocal(string name) => Get("vocal-" + name, () => SoundRecipes.Synthesise(_directory, name, SoundRecipes.VocalSounds[name]));

    /// <summary>A sox synthesis (<c>synth …</c> effects), padded with 0.5 s of silence.</summary>
    public float[] Synth(string name, params string[] effects) => Get("synth-" + name, () => SoundRecipes.Synthesise(_directory, name, effects));

    /// <summary><see cref="Sentence"/> spoken by espeak-ng with <paramref name="options"/>.</summary>
    public float[] Speech(params string[] options) =>
        Get("speech" + string.Join('_', options), () => SoundRecipes.Speak(_directory, "speech" + string.Join('_', options).Replace('-', 'o'), Sentence, options));

    /// <summary>A vocal sound after the telephone channel (<see cref="SoundRecipes.ThroughTelephone"/>).</summary>
    public float[] TelephoneVocal(string name) => Get("tel-vocal-" + name, () => SoundRecipes.ThroughTelephone(_directory, "tel-" + name, Vocal(name)));

    /// <summary>Speech after the telephone channel.</summary>
    public float[] TelephoneSpeech(params string[] options) =>
        Get("tel-speech" + string.Join('_', options), () => SoundRecipes.ThroughTelephone(_directory, "tel-speech" + string.Join('_', options).Replace('-', 'o'), Speech(options)));

    public void Dispose() => _directory.Dispose();

    private float[] Get(string key, Func<float[]> make)
    {
        lock (_gate)
        {
            if (!_clips.TryGetValue(key, out var clip))
            {
                clip = make();
                _clips[key] = clip;
            }

            return clip;
        }
    }
}
