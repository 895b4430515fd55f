using StepAudio.Telephony.Cli.Audio;

namespace StepAudio.Telephony.Cli.Data;

/// <summary>
/// Reads the layout <c>eval</c> and <c>train</c> share: <c>&lt;folder&gt;/&lt;label&gt;/*.wav</c>, or with one folder
/// per speaker, <c>&lt;folder&gt;/&lt;label&gt;/&lt;speaker&gt;/**/*.wav</c>. A speaker's clips are the files under
/// that folder whatever the label, so the caller's baseline and speaker-grouped cross-validation can follow them.
/// </summary>
public static class LabelledFolder
{
    /// <summary>Speaker name of files directly under a label folder.</summary>
    public const string UnknownSpeaker = "_";

    /// <summary>Every clip, in ordinal path order; label folders are named as <see cref="LabelNames.Normalize"/> reads them.</summary>
    /// <param name="folder">The labelled folder.</param>
    /// <param name="labels">The labels expected.</param>
    /// <param name="keepUnknownLabels">
    /// Keep the clips of label folders that are not among <paramref name="labels"/> (with their normalised folder name
    /// as label: <c>eval</c> reports them apart) when at least one folder is a known label; when none is, the folder
    /// is not laid out by label at all and that is still an error.
    /// </param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A label folder is not one of <paramref name="labels"/> (the message lists them).</exception>
    public static IReadOnlyList<LabelledClip> Read(string folder, IReadOnlyCollection<string> labels, bool keepUnknownLabels = false)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(labels);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Folder '{folder}' does not exist.");
        }

        var clips = new List<LabelledClip>();
        var labelFolders = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToList();
        var anyKnown = labelFolders.Any(f => labels.Contains(LabelNames.Normalize(System.IO.Path.GetFileName(f))));
        foreach (var labelFolder in labelFolders)
        {
            var label = LabelNames.Normalize(System.IO.Path.GetFileName(labelFolder));
            if (!labels.Contains(label) && !(keepUnknownLabels && anyKnown))
            {
                throw new InvalidDataException(
                    $"'{labelFolder}' is not a label folder. Expected <folder>/<label>/[<speaker>/]*.wav with label one of: {string.Join(", ", labels)}.");
            }

            foreach (var file in Directory.GetFiles(labelFolder, "*.wav", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
            {
                clips.Add(new LabelledClip(file, label, UnknownSpeaker));
            }

            foreach (var speakerFolder in Directory.GetDirectories(labelFolder).Order(StringComparer.Ordinal))
            {
                var speaker = System.IO.Path.GetFileName(speakerFolder);
                foreach (var file in Directory.GetFiles(speakerFolder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    clips.Add(new LabelledClip(file, label, speaker));
                }
            }
        }

        return clips;
    }
    /// <summary>
    /// The clips as calls hear them, which is how <c>eval</c> and <c>train</c> both keep a caller's running baseline:
    /// one speaker at a time (by name), each speaker's clips in file-name order, which interleaves the labels.
    /// </summary>
    public static IEnumerable<(string Speaker, IEnumerable<LabelledClip> Clips)> ByCaller(IEnumerable<LabelledClip> clips) =>
        clips.GroupBy(c => c.Speaker).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key,
            (IEnumerable<LabelledClip>)g.OrderBy(c => System.IO.Path.GetFileName(c.Path), StringComparer.Ordinal).ThenBy(c => c.Path, StringComparer.Ordinal)));

    /// <summary>The clip's audio as mono 16 kHz, or false with the reason added to <paramref name="unreadable"/>.</summary>
    public static bool TryReadAudio(LabelledClip clip, ICollection<string> unreadable, out float[] audio)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(unreadable);
        try
        {
            audio = WavReader.ReadMono16k(clip.Path);
            return true;
        }
        catch (InvalidDataException e)
        {
            unreadable.Add(e.Message);
            audio = [];
            return false;
        }
    }
}
