using System.Runtime.InteropServices;

namespace StepAudio.Telephony.Inference.Tests.TestSupport;

/// <summary>Reads audio through sox, so the samples the tests use are sox's own decoding and resampling.</summary>
internal static class SoxAudio
{
    public const int SampleRate = 16_000;

    /// <summary>Converts any sox-readable file to 16 kHz mono 32-bit float samples.</summary>
    /// <param name="path">The file.</param>
    /// <param name="scratchDirectory">Where sox writes its output.</param>
    /// <param name="effects">Sox effects applied on the way (e.g. a handset's colour); none by default.</param>
    public static float[] ReadMono16k(string path, string scratchDirectory, params string[] effects) => ReadMono(path, SampleRate, scratchDirectory, effects);

    /// <summary>Converts any sox-readable file to mono 32-bit float samples at <paramref name="sampleRate"/>, after <paramref name="effects"/>.</summary>
    public static float[] ReadMono(string path, int sampleRate, string scratchDirectory, params string[] effects)
    {
        var raw = Path.Combine(scratchDirectory, Path.GetFileNameWithoutExtension(path) + "-" + Guid.NewGuid().ToString("N") + ".f32");
        ExternalTool.Run("sox", [path, "-t", "raw", "-e", "floating-point", "-b", "32", "-L", "-c", "1", "-r", sampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture), raw, .. effects]);
        var bytes = File.ReadAllBytes(raw);
        File.Delete(raw);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    /// <summary>RMS level of <paramref name="samples"/> in dB relative to full scale (a ±1 square wave is 0 dBFS).</summary>
    public static double RmsDbfs(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return 10 * Math.Log10(sum / samples.Length);
    }
}
