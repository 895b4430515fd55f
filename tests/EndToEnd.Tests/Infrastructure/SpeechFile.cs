using System.Buffers.Binary;
using System.Globalization;

namespace StepAudio.Telephony.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The caller's speech for a test call: rendered by scripts/make-speech.sh (espeak-ng, sox) as raw
/// G.711 mu-law, with where the voice really starts and ends measured on the decoded file itself.
/// </summary>
internal sealed record SpeechFile(string Path, TimeSpan Duration, TimeSpan VoiceStart, TimeSpan VoiceEnd)
{
    private const int SampleRate = 8000;

    /// <summary>|sample| above 1 % of full scale counts as voice; espeak-ng's silence is digital zero.</summary>
    private const int VoiceThreshold = 328;

    public static async Task<SpeechFile> CreateAsync(string directory)
    {
        var made = await ExternalTool.RunAsync(
            "bash", [System.IO.Path.Combine(RepositoryPaths.Scripts, "make-speech.sh"), directory], null, TimeSpan.FromSeconds(60));
        if (made.ExitCode != 0)
        {
            throw new InvalidOperationException("make-speech.sh failed (espeak-ng and sox are installed by scripts/setup.sh): " + made.Describe());
        }

        var pcmu = System.IO.Path.Combine(directory, "speech.pcmu");
        var decoded = System.IO.Path.Combine(directory, "speech.s16");
        var sox = await ExternalTool.RunAsync(
            "sox",
            ["-t", "ul", "-r", "8000", "-c", "1", pcmu, "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", decoded],
            null,
            TimeSpan.FromSeconds(30));
        if (sox.ExitCode != 0)
        {
            throw new InvalidOperationException("sox could not decode the speech: " + sox.Describe());
        }

        var bytes = await File.ReadAllBytesAsync(decoded);
        int first = -1, last = -1;
        for (var i = 0; i < bytes.Length / 2; i++)
        {
            if (Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i))) > VoiceThreshold)
            {
                if (first < 0)
                {
                    first = i;
                }

                last = i;
            }
        }

        if (first < 0)
        {
            throw new InvalidOperationException("the rendered speech is silent");
        }

        var durationMs = int.Parse(made.StandardOutput.Trim(), CultureInfo.InvariantCulture);
        return new SpeechFile(
            pcmu,
            TimeSpan.FromMilliseconds(durationMs),
            TimeSpan.FromSeconds((double)first / SampleRate),
            TimeSpan.FromSeconds((double)(last + 1) / SampleRate));
    }
}
