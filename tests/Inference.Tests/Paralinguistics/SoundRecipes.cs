using System.Globalization;
using StepAudio.Telephony.Inference.Tests.TestSupport;

namespace StepAudio.Telephony.Inference.Tests.Paralinguistics;

/// <summary>
/// Reproducible test sounds made with sox (<c>-R</c>: fixed random seed) and espeak-ng, at 16 kHz float. Each vocal
/// sound is padded with 0.5 s of silence on both sides, so its expected call-time start is 0.5 s into the clip.
/// </summary>
internal static class SoundRecipes
{
    public const double Padding = 0.5;

    /// <summary>sox synthesis arguments (after <c>sox -R -n -r 16000 -c 1 out.wav</c>) per vocal sound.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> VocalSounds = new Dictionary<string, string[]>
    {
        // Sigh: 1.2 s pink noise in 300–3000 Hz, 50 ms rise then decaying to nothing over 1.1 s.
        ["sigh"] = ["synth", "1.2", "pinknoise", "sinc", "300-3000", "fade", "q", "0.05", "1.2", "1.1", "vol", "0.5"],

        // Laugh: five 100 ms voiced (sawtooth, 260 Hz) pulses, 100 ms apart: 5 bursts per second.
        ["laugh"] = ["synth", "0.1", "sawtooth", "260", "fade", "h", "0.01", "0.1", "0.02", "pad", "0", "0.1", "repeat", "4", "vol", "0.4"],

        // Gasp: 0.3 s bright (1–3.4 kHz) noise rising over 0.2 s, then cut off within 20 ms.
        ["gasp"] = ["synth", "0.3", "whitenoise", "sinc", "1000-3400", "fade", "q", "0.2", "0.3", "0.02", "vol", "0.4"],

        // Cough: 0.25 s broadband noise, 5 ms onset, decaying over the rest.
        ["cough"] = ["synth", "0.25", "whitenoise", "sinc", "200-3400", "fade", "q", "0.005", "0.25", "0.24", "vol", "0.7"],

        // Throat clear: 0.4 s dark (brown noise under 900 Hz), rough (30 Hz amplitude modulation) burst.
        ["throat-clear"] = ["synth", "0.4", "brownnoise", "sinc", "150-900", "tremolo", "30", "80", "fade", "q", "0.05", "0.4", "0.1", "vol", "0.8"],

        // Crying: three 0.5 s high (520→380 Hz) sawtooth sobs with 8 Hz tremor, 150 ms apart.
        ["crying"] = ["synth", "0.5", "sawtooth", "520-380", "tremolo", "8", "40", "fade", "h", "0.03", "0.5", "0.08", "pad", "0", "0.15", "repeat", "2", "vol", "0.4"],
    };

    /// <summary>Runs a sox synthesis recipe and pads it with silence.</summary>
    public static float[] Synthesise(TempDirectory directory, string name, IEnumerable<string> effects, double padding = Padding)
    {
        var path = directory.File(name + ".wav");
        var pad = padding.ToString(CultureInfo.InvariantCulture);
        string[] head = ["-R", "-n", "-r", "16000", "-c", "1", "-e", "floating-point", "-b", "32", path];
        ExternalTool.Run("sox", [.. head, .. effects, "pad", pad, pad]);
        return SoxAudio.ReadMono16k(path, directory.Path);
    }

    /// <summary>espeak-ng speech, resampled by sox to 16 kHz; extra espeak options such as <c>-p 20</c>, <c>-s 250</c>.</summary>
    public static float[] Speak(TempDirectory directory, string name, string text, params string[] options)
    {
        var path = directory.File(name + ".wav");
        ExternalTool.Run("espeak-ng", [.. options, "-w", path, text]);
        return SoxAudio.ReadMono16k(path, directory.Path);
    }

    /// <summary>
    /// The telephone channel the gateway hears: 300–3400 Hz band-pass, 8 kHz, G.711 µ-law (ITU-T G.711), back to 16 kHz.
    /// </summary>
    public static float[] ThroughTelephone(TempDirectory directory, string name, float[] samples)
    {
        var raw = directory.File(name + ".f32");
        var telephone = directory.File(name + "-8k-ulaw.wav");
        File.WriteAllBytes(raw, System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.AsSpan()).ToArray());
        ExternalTool.Run("sox", "-t", "raw", "-e", "floating-point", "-b", "32", "-L", "-r", "16000", "-c", "1", raw,
            "-e", "u-law", "-b", "8", telephone, "sinc", "300-3400", "rate", "8000");
        return SoxAudio.ReadMono16k(telephone, directory.Path);
    }

    /// <summary>sox <c>vol</c> applied to a sample array (an exact linear gain).</summary>
    public static float[] Gain(float[] samples, double factor) => [.. samples.Select(s => (float)(s * factor))];
}
