using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StepAudio.Telephony.Cli.Data;
using StepAudio.Telephony.Inference.Paralinguistics.Trained;

namespace StepAudio.Telephony.Cli.Train;

/// <summary>
/// Keeps a labelled folder's measured rows on disk so that a second training run over the same clips (another tree
/// depth, another bound) does not measure 5,000 clips again. One file per folder and task; it is used only when it
/// was written for exactly the same clips (path, size, modification time, in order), the same measure names, the same
/// baseline use and the same extractor assembly (its version id), and rebuilt otherwise, so a changed feature cannot be
/// read stale. Rows depend on the clips before them (the caller's baseline), which is why the key is the whole folder.
/// </summary>
public sealed class FeatureCache(string directory)
{
    private const string Magic = "stepaudio-feature-cache-v2";

    /// <summary>The cached rows of <paramref name="clips"/>, or <see langword="null"/> when there is no valid cache.</summary>
    /// <param name="turnOrders">The rows' other turn orders (<see cref="FeatureTable.Measure"/>).</param>
    /// <param name="unheardCopies">Whether the rows include the clips judged as if their caller were unheard (<see cref="FeatureTable.Measure"/>).</param>
    public IReadOnlyList<FeatureRow>? TryLoad(string folder, IReadOnlyList<LabelledClip> clips, int set, bool useSpeakerBaseline, int turnOrders = 0, bool unheardCopies = false)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var variant = Variant(turnOrders, unheardCopies);
        var path = PathFor(folder, useSpeakerBaseline, variant);
        if (!File.Exists(path))
        {
            return null;
        }

        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0] != Key(clips, useSpeakerBaseline, variant))
        {
            return null;
        }

        var rows = new List<FeatureRow>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split('\t');
            if (parts.Length != 4 + ModelFeatures.Names.Count)
            {
                return null;
            }

            var values = parts.Skip(4).Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
            rows.Add(new FeatureRow(values, parts[0], parts[1], set, int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary>Writes <paramref name="rows"/> (measured from <paramref name="clips"/>) for the next run.</summary>
    public void Save(string folder, IReadOnlyList<LabelledClip> clips, bool useSpeakerBaseline, IReadOnlyList<FeatureRow> rows, int turnOrders = 0, bool unheardCopies = false)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Directory.CreateDirectory(directory);
        var variant = Variant(turnOrders, unheardCopies);
        var text = new StringBuilder(Key(clips, useSpeakerBaseline, variant)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row.Label).Append('\t').Append(row.Speaker).Append('\t').Append(row.TurnOrder.ToString(CultureInfo.InvariantCulture))
                .Append('\t').Append(row.TurnsHeard.ToString(CultureInfo.InvariantCulture));
            foreach (var v in row.Values)
            {
                text.Append('\t').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        var path = PathFor(folder, useSpeakerBaseline, variant);
        File.WriteAllText(path + ".tmp", text.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Which extra rows the file holds besides the file-name-order ones ("" when none).</summary>
    private static string Variant(int turnOrders, bool unheardCopies) =>
        (turnOrders > 0 ? $"|orders {turnOrders} scheme {TurnOrders.Scheme}" : "") + (unheardCopies ? "|unheard" : "");

    private string PathFor(string folder, bool useSpeakerBaseline, string variant) =>
        System.IO.Path.Combine(directory, $"{Hash(System.IO.Path.GetFullPath(folder) + (useSpeakerBaseline ? "|baseline" : "") + variant)[..16]}.tsv");

    /// <summary>Everything the rows depend on, hashed into the file's first line.</summary>
    private static string Key(IReadOnlyList<LabelledClip> clips, bool useSpeakerBaseline, string variant)
    {
        var key = new StringBuilder(typeof(ModelFeatures).Assembly.ManifestModule.ModuleVersionId.ToString())
            .Append('|').Append(string.Join(',', ModelFeatures.Names)).Append('|').Append(useSpeakerBaseline).Append(variant);
        foreach (var clip in clips)
        {
            var info = new FileInfo(clip.Path);
            key.Append('|').Append(clip.Path).Append(':').Append(clip.Label).Append(':').Append(clip.Speaker)
                .Append(':').Append(info.Exists ? info.Length : -1).Append(':').Append(info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
        }

        return Magic + " " + Hash(key.ToString());
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
