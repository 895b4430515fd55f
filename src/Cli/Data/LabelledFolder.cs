using StepAudio.Telephony.Cli.Audio;

namespace StepAudio.Telephony.Cli.Data;

/// <summary>
/// Reads the layout <c>eval</c> and <c>train</c> share: <c>&lt;folder&gt;/&lt;label&gt;/*.wav</c>, or with one folder
/// per speaker, <c>&lt;folder&gt;/&lt;label&gt;/&lt;speaker&gt;/**/*.wav</c>. A speaker's clips are the files under
/// that folder whatever the label, so the caller's baseline and speaker-grouped cross-validation can follow them.
/// Extensions match in any case; other audio files (FLAC, MP3, …) are kept as clips that <see cref="TryReadAudio"/>
/// reports unreadable, so a set in the wrong format says so instead of scoring fewer clips.
/// </summary>
public static class LabelledFolder
{
    /// <summary>Speaker name of files directly under a label folder.</summary>
    public const string UnknownSpeaker = "_";

    // Public sets spell extensions as they like (TIMIT's .WAV), and Linux matches case by default. Hidden files and
    // folders are skipped: a copy made on a Mac carries an AppleDouble "._name.wav" beside each clip, a notebook a
    // ".ipynb_checkpoints" folder.
    private static readonly EnumerationOptions TopLevel = new() { MatchCasing = MatchCasing.CaseInsensitive, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
    private static readonly EnumerationOptions Recursive = new() { MatchCasing = MatchCasing.CaseInsensitive, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, RecurseSubdirectories = true };

    /// <summary>Audio this reader does not decode: listed as unreadable with what to do, never passed over in silence.</summary>
    private static readonly HashSet<string> OtherAudio = new(StringComparer.OrdinalIgnoreCase)
    {
        ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".aif", ".aiff", ".au", ".wma", ".webm", ".amr", ".caf",
    };

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
        var labelFolders = Directory.GetDirectories(folder, "*", TopLevel).Order(StringComparer.Ordinal).ToList();
        var anyKnown = labelFolders.Any(f => labels.Contains(LabelNames.Normalize(System.IO.Path.GetFileName(f))));
        foreach (var labelFolder in labelFolders)
        {
            var label = LabelNames.Normalize(System.IO.Path.GetFileName(labelFolder));
            if (!labels.Contains(label) && !(keepUnknownLabels && anyKnown))
            {
                throw new InvalidDataException(
                    $"'{labelFolder}' is not a label folder. Expected <folder>/<label>/[<speaker>/]*.wav with label one of: {string.Join(", ", labels)}.");
            }

            foreach (var file in AudioFiles(labelFolder, TopLevel))
            {
                clips.Add(new LabelledClip(file, label, UnknownSpeaker));
            }

            foreach (var speakerFolder in Directory.GetDirectories(labelFolder, "*", TopLevel).Order(StringComparer.Ordinal))
            {
                var speaker = System.IO.Path.GetFileName(speakerFolder);
                foreach (var file in AudioFiles(speakerFolder, Recursive))
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
        audio = [];
        if (!IsWav(clip.Path))
        {
            unreadable.Add($"{clip.Path}: only WAV files are read; convert it first (e.g. sox '{System.IO.Path.GetFileName(clip.Path)}' -b 16 clip.wav)");
            return false;
        }

        try
        {
            audio = WavReader.ReadMono16k(clip.Path);
            return true;
        }
        catch (InvalidDataException e)
        {
            unreadable.Add(e.Message);
            return false;
        }
    }

    private static IEnumerable<string> AudioFiles(string folder, EnumerationOptions options) =>
        Directory.EnumerateFiles(folder, "*", options)
            .Where(f => IsWav(f) || OtherAudio.Contains(System.IO.Path.GetExtension(f)))
            .Order(StringComparer.Ordinal);

    private static bool IsWav(string path) =>
        System.IO.Path.GetExtension(path) is var extension
        && (extension.Equals(".wav", StringComparison.OrdinalIgnoreCase) || extension.Equals(".wave", StringComparison.OrdinalIgnoreCase));
}
